"""The pages every register shares: list, detail, create/edit, workflow steps, attachments, Excel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fazhi.core.audit import audit_trail
from fazhi.core.forms import apply_validation_errors
from fazhi.core.xlsx import xlsx_response

from . import excel, selectors, services
from .deadlines import today
from .forms import AttachmentForm, ImportForm, ListFilterForm, transition_form_class
from .spec import REGISTRY, Register, register_for

PAGE_SIZE = 50


def _spec(key: str) -> Register:
    if key not in REGISTRY:
        raise Http404("没有这个台账。")
    return REGISTRY[key]


def _require_editor(request) -> None:
    if not request.user.can_edit:
        raise PermissionDenied("只读用户不能修改台账。")


def _filters(request, spec: Register) -> tuple[ListFilterForm, selectors.ListFilters]:
    form = ListFilterForm(request.GET or None, spec=spec)
    if not form.is_valid():
        return form, selectors.ListFilters()
    data = form.cleaned_data
    return form, selectors.ListFilters(
        q=data["q"].strip(),
        status=data["status"],
        due=data["due"],
        year=data["year"],
        choices=tuple((name, data[name]) for name in form.choice_fields),
    )


def register_list(request, key: str):
    spec = _spec(key)
    form, filters = _filters(request, spec)
    items = selectors.items_in(spec, request.scope.unit_ids, filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "item": item,
            "status": spec.workflow.label(item.status),
            "cells": [excel.display(spec, item, name) for name in spec.list_columns],
        }
        for item in selectors.with_due_state(spec, page.object_list)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "spec": spec,
        "filters": form,
        "page": page,
        "rows": rows,
        "headers": [spec.model._meta.get_field(n).verbose_name for n in spec.list_columns],
        "query": query.urlencode(),
    }
    return render(request, "registers/list.html", context)


def register_export(request, key: str):
    spec = _spec(key)
    _, filters = _filters(request, spec)
    items = selectors.items_in(spec, request.scope.unit_ids, filters)
    return xlsx_response(excel.export_bytes(spec, items), f"{spec.label}-{today().isoformat()}.xlsx")


def register_template(request, key: str):
    spec = _spec(key)
    return xlsx_response(excel.template_bytes(spec), f"{spec.label}-导入模板.xlsx")


def register_import(request, key: str):
    spec = _spec(key)
    _require_editor(request)
    form = ImportForm()
    errors: list[str] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > excel.MAX_IMPORT_BYTES:  # refused before the contents are read
                errors = [f"{upload.name}：文件过大，上限为 {excel.MAX_IMPORT_BYTES // 1024 // 1024} MB"]
            else:
                try:
                    items = excel.import_workbook(
                        spec,
                        upload.read(),
                        upload.name,
                        actor=request.user,
                        scope_ids=request.scope.unit_ids,
                    )
                except ValidationError as exc:
                    errors = exc.messages
                else:
                    messages.success(request, f"已导入{len(items)}条{spec.item_label}。")
                    return redirect("registers:list", key)
    return render(request, "registers/import.html", {"spec": spec, "form": form, "errors": errors})


def _detail_fields(spec: Register, item) -> list[dict]:
    fields = []
    for field in spec.model._meta.concrete_fields:
        if not field.editable or field.name in ("id", "status", "note"):
            continue
        value = excel.display(spec, item, field.name)
        link = None
        if isinstance(field, models.ForeignKey) and field.related_model in {
            s.model for s in REGISTRY.values()
        }:
            related = getattr(item, field.name)
            if related is not None:
                link = reverse("registers:detail", args=[register_for(field.related_model).key, related.pk])
        fields.append({"label": field.verbose_name, "value": value, "link": link})
    return fields


def item_detail(request, key: str, pk: int):
    spec = _spec(key)
    item = selectors.item_in_scope(spec, pk, request.scope.visible_ids)
    [item] = selectors.with_due_state(spec, [item])
    context = {
        "spec": spec,
        "item": item,
        "title": spec.title(item),
        "status_label": spec.workflow.label(item.status),
        "fields": _detail_fields(spec, item),
        "summary": spec.summary(item) if spec.summary else [],
        "links": spec.links(item) if spec.links else [],
        "steps": spec.workflow.steps_from(item.status) if request.user.can_edit else (),
        "timeline": [
            {"change": t, "to_label": spec.workflow.label(t.to_status)} for t in selectors.timeline(item)
        ],
        "attachments": selectors.attachments(item),
        "attachment_form": AttachmentForm(),
        "trail": audit_trail(item, {"status": spec.workflow.states}),
    }
    return render(request, "registers/detail.html", context)


def item_edit(request, key: str, pk: int | None = None):
    spec = _spec(key)
    _require_editor(request)
    item = selectors.item_in_scope(spec, pk, request.scope.visible_ids) if pk else None
    if item is None and spec.create_url_name:
        return redirect(spec.create_url_name)
    initial = {"unit": request.scope.unit} if item is None else None
    form = spec.form(request.POST or None, instance=item, initial=initial, scope_ids=request.scope.unit_ids)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.item_create(
                    spec, form.save(commit=False), actor=request.user, scope_ids=request.scope.unit_ids
                )
            else:
                services.item_update(
                    spec, form.save(commit=False), actor=request.user, scope_ids=request.scope.unit_ids
                )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"已保存{spec.item_label}“{spec.title(item)}”。")
            return redirect("registers:detail", key, item.pk)
    title = f"新增{spec.item_label}" if item is None else f"编辑{spec.item_label}"
    return render(request, "registers/form.html", {"spec": spec, "form": form, "title": title, "item": item})


def item_transition(request, key: str, pk: int, to: str):
    spec = _spec(key)
    _require_editor(request)
    item = selectors.item_in_scope(spec, pk, request.scope.visible_ids)
    step = spec.workflow.step(item.status, to)
    if step is None:
        messages.error(request, f"“{spec.workflow.label(item.status)}”状态下不能执行该操作。")
        return redirect("registers:detail", key, pk)
    form_class = transition_form_class(spec, step)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        on, note = data.pop("on", today()), data.pop("note", "")
        try:
            services.item_transition(
                spec,
                item,
                to,
                actor=request.user,
                scope_ids=request.scope.unit_ids,
                on=on,
                values=data,
                note=note,
            )
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"已{step.label}。")
            return redirect("registers:detail", key, pk)
    context = {"spec": spec, "item": item, "title": spec.title(item), "step": step, "form": form}
    return render(request, "registers/transition.html", context)


@require_POST
def attachment_upload(request, key: str, pk: int):
    spec = _spec(key)
    _require_editor(request)
    item = selectors.item_in_scope(spec, pk, request.scope.visible_ids)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
    else:
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_ATTACHMENT_BYTES:
            limit = services.MAX_ATTACHMENT_BYTES // 1024 // 1024
            messages.error(request, f"{upload.name}：文件过大，附件不超过 {limit} MB")
        else:
            try:
                services.attach(
                    spec,
                    item,
                    name=upload.name,
                    data=upload.read(),
                    actor=request.user,
                    scope_ids=request.scope.unit_ids,
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"已上传附件“{upload.name}”。")
    return redirect("registers:detail", key, pk)


def attachment_download(request, pk: int):
    attachment = selectors.attachment_in_scope(pk, request.scope.visible_ids)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
