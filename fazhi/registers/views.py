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
from fazhi.core.formats import cn_date
from fazhi.core.forms import apply_validation_errors
from fazhi.core.xlsx import xlsx_response

from . import excel, printing, selectors, services, tasks
from .deadlines import today
from .forms import (
    AttachmentForm,
    ImportForm,
    ListFilterForm,
    child_formset,
    form_class,
    transition_form_class,
)
from .present import display
from .spec import REGISTRY, Register, is_register_model, register_for

PAGE_SIZE = 50


def _spec(key: str) -> Register:
    if key not in REGISTRY:
        raise Http404("没有这个台账。")
    return REGISTRY[key]


def _require_editor(request) -> None:
    if not request.user.can_edit:
        raise PermissionDenied("只读用户不能修改台账。")


def _filters(request, spec: Register) -> tuple[ListFilterForm, selectors.ListFilters]:
    """The list's filters as the query string gives them; the order is read apart, so an odd filter
    value (ignored with its message) keeps the order and an odd ``sort`` is simply ignored."""
    sort = selectors.parse_sort(spec, request.GET.get("sort"))
    form = ListFilterForm(request.GET or None, spec=spec)
    if not form.is_valid():
        return form, selectors.ListFilters(sort=sort)
    data = form.cleaned_data
    return form, selectors.ListFilters(
        q=data["q"].strip(),
        status=data["status"],
        due=data["due"],
        year=data["year"],
        choices=tuple((name, data[name]) for name in form.choice_fields),
        sort=sort,
    )


def _query(request, *drop: str) -> str:
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def _headers(request, spec: Register, sort: str) -> list[dict]:
    """The list's column headers; a sortable one links to the list sorted by it (ascending first, then
    the other way), marked with the current direction."""
    sortable = selectors.sort_keys(spec)
    base = _query(request, "page", "sort")
    headers = []
    for name, label in selectors.list_columns(spec):
        header = {"label": label, "url": None, "arrow": "", "aria": None, "width": _width(spec, name)}
        if name in sortable:
            next_sort = f"-{name}" if sort == name else name
            header["url"] = f"{base}&sort={next_sort}" if base else f"sort={next_sort}"
            if sort == name:
                header["arrow"], header["aria"] = "▲", "ascending"
            elif sort == f"-{name}":
                header["arrow"], header["aria"] = "▼", "descending"
        headers.append(header)
    return headers


def _width(spec: Register, name: str) -> str:
    """How a column is laid out on paper: dates and short labels (states, choices) kept on one line."""
    field = spec.model_field(name)
    if isinstance(field, models.DateField):
        return "col-date"
    if name == "status" or field.choices or isinstance(field, models.BooleanField):
        return "col-short"
    return ""


def _rows(spec: Register, items, viewer) -> list[dict]:
    """The items as the list's cells (``selectors.list_columns``), presented and masked for ``viewer``."""
    columns = [(name, _width(spec, name)) for name, _ in selectors.list_columns(spec)]
    return [
        {
            "item": item,
            "cells": [
                {"name": name, "width": width, "value": display(spec, item, name, viewer)}
                for name, width in columns
            ],
        }
        for item in items
    ]


def register_list(request, key: str):
    spec = _spec(key)
    form, filters = _filters(request, spec)
    items = selectors.items_in(spec, selectors.readable_unit_ids(spec, request.scope.unit_ids), filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(spec, selectors.with_due_state(spec, page.object_list), request.user)
    context = {
        "spec": spec,
        "filters": form,
        "sort": filters.sort,
        "page": page,
        "rows": rows,
        "headers": _headers(request, spec, filters.sort),
        "query": _query(request, "page"),
    }
    return render(request, "registers/list.html", context)


def register_print(request, key: str):
    """The list as a printable page: the same filters, order, scope and masking, at most
    ``printing.PRINT_LIMIT`` rows, under a heading that says what it lists."""
    spec = _spec(key)
    _, filters = _filters(request, spec)
    readable = selectors.readable_unit_ids(spec, request.scope.unit_ids)
    total, items = selectors.items_for_print(spec, readable, filters, printing.PRINT_LIMIT)
    now = today()
    unit = request.scope.unit
    heading = printing.list_heading(spec, selectors.unit_full_name(unit) if unit else "", filters, now)
    context = {
        "spec": spec,
        "heading": heading,
        "conditions": printing.filter_summary(spec, filters),
        "unit": unit,
        "total": total,
        "notice": printing.capped_notice(total),
        "headers": _headers(request, spec, filters.sort),
        "rows": _rows(spec, items, request.user),
        "printed_on": now,
        "back": f"{reverse('registers:list', args=[key])}?{_query(request, 'page')}",
    }
    return render(request, "registers/print_list.html", context)


def register_export(request, key: str):
    spec = _spec(key)
    _, filters = _filters(request, spec)
    items = selectors.items_for_export(
        spec, selectors.readable_unit_ids(spec, request.scope.unit_ids), filters
    )
    period = f"{filters.year}年" if filters.year else ""
    title = f"{request.scope.unit.name}{period}{spec.label}（{cn_date(today())}导出）"
    data = excel.export_bytes(spec, items, request.user, title=title)
    return xlsx_response(data, f"{spec.label}-{today().isoformat()}.xlsx")


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
            elif upload.size > tasks.IMPORT_INLINE_BYTES:  # hundreds of rows or more: the worker imports it
                job = tasks.start_import(
                    spec, upload.read(), upload.name, actor=request.user, unit=request.scope.unit
                )
                return redirect(job)
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


def _detail_fields(spec: Register, item, viewer) -> list[dict]:
    fields = []
    for column in spec.columns:
        field = spec.model_field(column.field)
        if column.field in ("status", "note"):
            continue
        value = display(spec, item, column.field, viewer)
        link = None
        if isinstance(field, models.ForeignKey) and is_register_model(field.related_model):
            related = getattr(item, field.name)
            if related is not None:
                link = reverse("registers:detail", args=[register_for(field.related_model).key, related.pk])
        fields.append({"label": excel.header(spec, column), "value": value, "link": link})
    return fields


def _children(spec: Register, item) -> list[dict]:
    tables = []
    for child in spec.children:
        rows = child.model._default_manager.filter(**{child.fk: item})
        tables.append(
            {
                "label": child.label,
                "headers": [excel.header(spec, c, child.model) for c in child.columns],
                "rows": [[excel.child_display(child, row, c) for c in child.columns] for row in rows],
            }
        )
    return tables


def item_detail(request, key: str, pk: int):
    spec = _spec(key)
    item = selectors.item_in_scope(spec, pk, selectors.readable_unit_ids(spec, request.scope.visible_ids))
    [item] = selectors.with_due_state(spec, [item])
    context = {
        "spec": spec,
        "item": item,
        "title": spec.title(item),
        "status_label": spec.workflow.label(item.status),
        "fields": _detail_fields(spec, item, request.user),
        "children": _children(spec, item),
        "summary": spec.summary(item) if spec.summary else [],
        "links": spec.links(item) if spec.links else [],
        "steps": spec.workflow.steps_for(item) if request.user.can_edit else (),
        "timeline": [
            {"change": t, "to_label": spec.workflow.label(t.to_status)} for t in selectors.timeline(item)
        ],
        "attachments": selectors.attachments(item),
        "attachment_form": AttachmentForm(),
        "trail": audit_trail(item, {"status": spec.workflow.states}, viewer=request.user),
    }
    return render(request, "registers/detail.html", context)


def item_print(request, key: str, pk: int):
    """One item as a printable page: its fields (masked as on the detail page), child rows and steps."""
    spec = _spec(key)
    item = selectors.item_in_scope(spec, pk, request.scope.visible_ids)
    [item] = selectors.with_due_state(spec, [item])
    fields = _detail_fields(spec, item, request.user)
    context = {
        "spec": spec,
        "item": item,
        "title": spec.title(item),
        "heading": f"{selectors.unit_full_name(item.unit)} {spec.item_label}登记表",
        "status_label": spec.workflow.label(item.status),
        "field_rows": [fields[i : i + 2] for i in range(0, len(fields), 2)],
        "children": _children(spec, item),
        "summary": spec.summary(item) if spec.summary else [],
        "timeline": [
            {"change": t, "to_label": spec.workflow.label(t.to_status)} for t in selectors.timeline(item)
        ],
        "attachments": selectors.attachments(item),
        "printed_on": today(),
        "back": reverse("registers:detail", args=[key, pk]),
    }
    return render(request, "registers/print_detail.html", context)


def _formsets(spec: Register, request, item) -> list:
    """The child rows' formsets; one the page did not send (a client posting the item's fields only)
    stays unbound and leaves the stored rows as they are."""
    formsets = []
    for child in spec.children:
        prefix = child.model._meta.model_name
        sent = request.method == "POST" and f"{prefix}-TOTAL_FORMS" in request.POST
        formset = child_formset(spec, child)(request.POST if sent else None, instance=item, prefix=prefix)
        formset.label = child.label
        formsets.append(formset)
    return formsets


def item_edit(request, key: str, pk: int | None = None):
    spec = _spec(key)
    _require_editor(request)
    item = selectors.item_in_scope(spec, pk, request.scope.visible_ids) if pk else None
    if item is None and spec.create_url_name:
        return redirect(spec.create_url_name)
    initial = {"unit": request.scope.unit} if item is None else None
    form = form_class(spec)(
        request.POST or None,
        instance=item,
        initial=initial,
        scope_ids=request.scope.unit_ids,
        viewer=request.user,
    )
    formsets = _formsets(spec, request, item or spec.model())
    conflict = None
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets if f.is_bound):
        children = {
            child: [
                f.instance
                for f in fs.forms
                if f not in fs.deleted_forms and (f.instance.pk or f.has_changed())
            ]
            for child, fs in zip(spec.children, formsets, strict=True)
            if fs.is_bound
        }
        try:
            if item is None:
                item = services.item_create(
                    spec, form.save(commit=False), actor=request.user, scope_ids=request.scope.unit_ids,
                    related=form.related, children=children,
                )  # fmt: skip
            else:
                services.item_update(
                    spec, form.save(commit=False), actor=request.user, scope_ids=request.scope.unit_ids,
                    read_version=form.cleaned_data.get("version"), related=form.related, children=children,
                )  # fmt: skip
        except services.StaleEdit as exc:
            conflict = exc
            data = request.POST.copy()
            data["version"] = exc.version  # saving again now overwrites, knowingly
            form = form_class(spec)(
                data, instance=item, scope_ids=request.scope.unit_ids, viewer=request.user
            )
            form.is_valid()
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            apply_validation_errors(form, exc)
        else:
            messages.success(request, f"已保存{spec.item_label}“{spec.title(item)}”。")
            return redirect("registers:detail", key, item.pk)
    title = f"新增{spec.item_label}" if item is None else f"编辑{spec.item_label}"
    context = {
        "spec": spec,
        "form": form,
        "formsets": formsets,
        "title": title,
        "item": item,
        "conflict": conflict,
    }
    return render(request, "registers/form.html", context)


def item_transition(request, key: str, pk: int, to: str):
    spec = _spec(key)
    _require_editor(request)
    item = selectors.item_in_scope(spec, pk, request.scope.visible_ids)
    seen = request.POST.get("expected_status") or item.status
    step = spec.workflow.step(seen, to)
    if step is not None and not step.applies_to(item):
        messages.error(request, services.step_refusal(spec, item, step))
        return redirect("registers:detail", key, pk)
    if step is None:
        messages.error(request, f"“{spec.workflow.label(item.status)}”状态下不能执行该操作。")
        return redirect("registers:detail", key, pk)
    form_class_ = transition_form_class(spec, step)
    form = form_class_(request.POST or None, scope_ids=request.scope.unit_ids, instance=item)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        on, note = data.pop("on", today()), data.pop("note", "")
        expected = data.pop("expected_status", "") or None
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
                expected_status=expected,
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
        messages.error(request, "；".join(m for errors in form.errors.values() for m in errors))
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
