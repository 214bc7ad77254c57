"""Pages for units, people and users. Each view reads through a selector and writes through a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fazhi.core import audit_log as audit_log_selectors
from fazhi.core.audit import audit_trail
from fazhi.core.forms import apply_validation_errors

from . import selectors, services
from .forms import AuditLogFilterForm, PersonFilterForm, PersonForm, UnitForm, UserForm
from .models import Person, Unit, User
from .scope import SESSION_KEY

PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not request.user.can_manage:
        raise PermissionDenied("只有单位管理员或系统管理员可以进行此操作。")


@require_POST
def switch_unit(request):
    unit_id = request.POST.get("unit", "")
    if unit_id.isdigit() and int(unit_id) in set(request.scope.visible_ids):
        request.session[SESSION_KEY] = int(unit_id)
    else:
        messages.error(request, "无法切换到该单位：不在您的权限范围内。")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


# -- units ------------------------------------------------------------------------------------------
def unit_list(request):
    units = selectors.units_in(request.scope.unit_ids)
    return render(request, "org/unit_list.html", {"units": units})


def unit_detail(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    selectors.assert_unit_in_scope(request.scope.visible_ids, unit)
    context = {
        "unit": unit,
        "children": unit.children.order_by("sort_order", "code"),
        "people": selectors.people_in([unit.pk]).filter(is_active=True),
        "trail": audit_trail(unit),
    }
    return render(request, "org/unit_detail.html", context)


def unit_edit(request, pk: int | None = None):
    _require_manager(request)
    unit = get_object_or_404(Unit, pk=pk) if pk else Unit(parent=request.scope.unit)
    if pk:
        selectors.assert_unit_in_scope(request.scope.visible_ids, unit)
    form = UnitForm(request.POST or None, instance=unit)
    form.limit_units(request.scope.visible_ids)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_save(
                actor=request.user, unit=form.save(commit=False), unit_ids=request.scope.visible_ids
            )
        except ValidationError as error:
            apply_validation_errors(form, error)
        else:
            messages.success(request, f"已保存单位“{unit.name}”。")
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "core/form.html", {"form": form, "title": "编辑单位" if pk else "新增单位"})


# -- people -----------------------------------------------------------------------------------------
def person_list(request):
    people = selectors.people_in(request.scope.unit_ids)
    filters = PersonFilterForm(request.GET or None)
    filters.fields["unit"].queryset = Unit.objects.filter(pk__in=request.scope.unit_ids)
    if filters.is_valid():
        if q := filters.cleaned_data["q"]:
            people = people.filter(Q(name__contains=q) | Q(position__contains=q))
        if role := filters.cleaned_data["role"]:
            people = people.filter(roles=role)
        if unit := filters.cleaned_data["unit"]:
            people = people.filter(unit__in=Unit.objects.descendants(unit, include_self=True))
    page = Paginator(people.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "org/person_list.html", {"page": page, "filters": filters, "query": query.urlencode()}
    )


def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("unit"), pk=pk)
    selectors.assert_unit_in_scope(request.scope.visible_ids, person.unit_id)
    return render(
        request,
        "org/person_detail.html",
        {"person": person, "trail": audit_trail(person, viewer=request.user)},
    )


def person_edit(request, pk: int | None = None):
    _require_manager(request)
    person = get_object_or_404(Person, pk=pk) if pk else Person(unit=request.scope.unit)
    if pk:
        selectors.assert_unit_in_scope(request.scope.visible_ids, person.unit_id)
    form = PersonForm(
        request.POST or None, instance=person, initial={"roles": person.roles.all() if pk else []}
    )
    form.limit_units(request.scope.visible_ids)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_save(
                actor=request.user,
                person=form.save(commit=False),
                roles=form.cleaned_data["roles"],
                unit_ids=request.scope.visible_ids,
            )
        except ValidationError as error:
            apply_validation_errors(form, error)
        else:
            messages.success(request, f"已保存人员“{person.name}”。")
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "core/form.html", {"form": form, "title": "编辑人员" if pk else "新增人员"})


# -- users ------------------------------------------------------------------------------------------
def user_list(request):
    _require_manager(request)
    users = selectors.users_in(request.scope.unit_ids).order_by("unit__sort_order", "username")
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "org/user_list.html", {"page": page})


def user_detail(request, pk: int):
    _require_manager(request)
    account = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    if account.unit_id is not None or not request.user.is_system_admin:
        selectors.assert_unit_in_scope(request.scope.visible_ids, account.unit_id)
    return render(request, "org/user_detail.html", {"account": account, "trail": audit_trail(account)})


def user_edit(request, pk: int | None = None):
    _require_manager(request)
    account = get_object_or_404(User, pk=pk) if pk else User(unit=request.scope.unit)
    if pk and (account.unit_id is not None or not request.user.is_system_admin):
        selectors.assert_unit_in_scope(request.scope.visible_ids, account.unit_id)
    form = UserForm(request.POST or None, instance=account, actor=request.user)
    form.limit_units(request.scope.visible_ids)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.user_save(
                actor=request.user,
                user=form.save(commit=False),
                unit_ids=request.scope.visible_ids,
                password=form.cleaned_data["password"] or None,
            )
        except ValidationError as error:
            apply_validation_errors(form, error)
        else:
            messages.success(request, f"已保存用户“{account.username}”。")
            return redirect("org:user_detail", pk=account.pk)
    return render(request, "core/form.html", {"form": form, "title": "编辑用户" if pk else "新增用户"})


# -- audit log --------------------------------------------------------------------------------------
def audit_log(request):
    """Every recorded change of the records in scope, newest first, with its filters (managers only)."""
    _require_manager(request)
    scope = request.scope
    filters = AuditLogFilterForm(
        request.GET or None,
        units=audit_log_selectors.unit_choices(scope),
        users=audit_log_selectors.user_choices(scope),
        kinds=audit_log_selectors.kind_choices(),
    )
    log = audit_log_selectors.changes(scope, viewer=request.user, **filters.criteria)
    page = Paginator(log, audit_log_selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "org/audit_log.html", {"page": page, "filters": filters, "query": query.urlencode()}
    )
