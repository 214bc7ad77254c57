"""扫码入检 pages: the phone page a QR code opens (login required, then back to it), the enterprise's
visits and printable code sheets, the visit list by month, the flagged visits, visits per enterprise per
year (重复检查, 多头检查), and the quiet periods. Every list is scoped to the viewer's units and downloads
as Excel."""

from __future__ import annotations

import calendar
from datetime import date

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from fazhi.core.formats import cn_date
from fazhi.core.forms import apply_validation_errors
from fazhi.core.xlsx import table_xlsx, xlsx_response
from fazhi.enforcement.selectors import valid_certificate
from fazhi.inspections.models import InspectionObject, ObjectKind
from fazhi.org.selectors import ancestor_ids, assert_unit_in_scope, subtree_ids, units_in
from fazhi.registers.deadlines import today

from . import selectors, services
from .forms import MonthFilter, PeriodFilter, PolicyForm, QuietPeriodForm, VisitForm, YearFilter
from .models import DEFAULT_ALLOWED_REASONS, EnterpriseCode, QuietPeriod, Visit

PAGE_SIZE = 50
SHEETS_PER_PAGE = 20  # printable code sheets per batch page (one A4 page each)
EXPORT_LIMIT = 20000


def scan_url(request, code: EnterpriseCode) -> str:
    return request.build_absolute_uri(reverse("onsite:scan", args=[code.token]))


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG markup (no data: URI, no script: fits the CSP)."""
    return mark_safe(
        segno.make(url, error="m").svg_inline(
            scale=1, omitsize=True, svgclass="qr-svg", lineclass=None, title="扫码入检二维码"
        )
    )


# ------------------------------------------------------------------ the scan page


def scan(request, token: str):
    """扫码入检: the enterprise the code names and the form an officer fills in on the spot."""
    if len(token) > 64:
        raise Http404("二维码无效。")
    code = get_object_or_404(
        EnterpriseCode.objects.select_related("enterprise", "enterprise__unit"), token=token
    )
    enterprise = code.enterprise
    user = request.user
    person = user.person if user.person_id else None
    now = timezone.now()
    day = timezone.localdate(now)
    problem = ""
    if person is None:
        problem = "您的账号未关联人员信息，不能登记入企检查。请联系单位管理员在“用户”中关联本人。"
    elif not selectors.may_inspect(person.unit, enterprise):
        problem = f"您所在的{person.unit.name}无权对该企业登记入企检查（企业属{enterprise.unit.name}）。"
    plans = list(selectors.plans_for(enterprise))
    posted = request.method == "POST"
    searching = posted and request.POST.get("action") == "search"
    officers: list = []
    found: list | None = None
    if person is not None and not problem:
        officers, found = _co_officers(request, enterprise, person, day, searching)
    if searching:  # the form as typed, with the officers found offered beside the ones chosen
        fields = ("reason", "plan", "reason_text", "note", "officer_query")
        initial: dict = {name: request.POST.get(name, "") for name in fields}
        initial["co_officers"] = _posted_ids(request)
        form = VisitForm(initial=initial, plans=plans, officers=officers)
    else:
        form = VisitForm(request.POST or None, plans=plans, officers=officers)
    if posted:
        if problem or person is None:
            raise PermissionDenied(problem)
        if not user.can_edit:
            raise PermissionDenied("您的账号为只读账号，不能登记入企检查。")
        if not searching and form.is_valid():
            data = form.cleaned_data
            chosen = {p.pk: p for p in officers}
            plan = next((p for p in plans if p.pk == data["plan"]), None)
            try:
                visit, created = services.record_visit(
                    enterprise,
                    actor=user,
                    officer=person,
                    reason=data["reason"],
                    co_officers=[chosen[pk] for pk in data["co_officers"]],
                    plan=plan,
                    reason_text=data["reason_text"],
                    note=data["note"],
                )
            except ValidationError as exc:
                apply_validation_errors(form, exc)
            else:
                if not created:
                    messages.info(
                        request, f"您已于{cn_date(visit.visited_at)}登记过本次入企检查，未重复登记。"
                    )
                elif visit.flagged:
                    messages.warning(
                        request,
                        f"已登记。注意：今日在“{visit.quiet_period}”内，“{visit.get_reason_display()}”不是允许的"
                        "检查事由，本次检查已报司法局备查。",
                    )
                else:
                    messages.success(request, f"已登记入企检查（{cn_date(visit.visited_at)}）。")
                return redirect("onsite:scan", token)
    mine = (
        Visit.objects.filter(enterprise=enterprise, officer=person).order_by("-visited_at")[:5]
        if person
        else []
    )
    context = {
        "enterprise": enterprise,
        "form": form,
        "problem": problem,
        "person": person,
        "certificate": valid_certificate(person, day) if person else None,
        "periods": selectors.quiet_periods_on(enterprise, day),
        "mine": mine,
        "now": now,
        "can_edit": user.can_edit,
        "found": found,
        "search_min": selectors.OFFICER_SEARCH_MIN,
    }
    return render(request, "onsite/scan.html", context)


# at most this many co-officers are read back from a submitted form
MAX_CO_OFFICERS = 50


def _posted_ids(request) -> list[int]:
    values = request.POST.getlist("co_officers")[:MAX_CO_OFFICERS]
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 12]


def _co_officers(request, enterprise, person, day, searching: bool) -> tuple[list, list | None]:
    """The co-officers the scan page offers: the officer's certified colleagues, then officers of other
    units already chosen, then (on a search) those found by name or 执法证号 — all of them officers
    ``selectors.eligible_officers`` admits, which is what ``services.record_visit`` accepts. Also the
    ones found (None when not searching)."""
    eligible = selectors.eligible_officers(enterprise, day)
    offered = list(
        eligible.filter(Q(unit_id=person.unit_id) | Q(pk__in=_posted_ids(request))).exclude(pk=person.pk)
    )
    found = None
    if searching:
        query = request.POST.get("officer_query", "")[:40]
        found = [p for p in selectors.find_officers(enterprise, day, query) if p.pk != person.pk]
        known = {p.pk for p in offered}
        offered += [p for p in found if p.pk not in known]
    offered.sort(key=lambda p: p.unit_id != person.unit_id)  # stable: colleagues first, then by name
    return offered, found


# ------------------------------------------------------------------ enterprises and their codes


def _enterprise_in_scope(request, pk: int) -> InspectionObject:
    enterprise = get_object_or_404(
        InspectionObject.objects.select_related("unit"), pk=pk, kind=ObjectKind.ENTERPRISE
    )
    assert_unit_in_scope(request.scope.visible_ids, enterprise.unit)
    return enterprise


@require_safe
def enterprise_list(request):
    """The enterprises of the chosen unit and below, with this year's visits and a link to each code."""
    q = (request.GET.get("q") or "").strip()[:60]
    objects = selectors.enterprises(request.scope.unit_ids)
    if q:
        objects = objects.filter(name__icontains=q) | objects.filter(credit_code__icontains=q)
    page = Paginator(objects, PAGE_SIZE).get_page(request.GET.get("page"))
    year = today().year
    counts = dict(
        Visit.objects.filter(enterprise__in=[o.pk for o in page], visited_on__year=year)
        .values_list("enterprise_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "n")
    )
    for o in page:
        o.visits_this_year = counts.get(o.pk, 0)  # type: ignore[attr-defined]
    context = {"page": page, "q": q, "year": year, "query": f"q={q}" if q else ""}
    return render(request, "onsite/enterprise_list.html", context)


@require_safe
def enterprise_detail(request, pk: int):
    """记录备查: every visit to the enterprise (who, when, why, which plan, flagged or not)."""
    enterprise = _enterprise_in_scope(request, pk)
    visits = (
        Visit.objects.filter(enterprise=enterprise)
        .select_related("unit", "officer", "plan", "quiet_period")
        .prefetch_related("co_officers")
        .order_by("-visited_at", "-pk")
    )
    if request.GET.get("format") == "xlsx":
        headers, rows = visits_table(visits)
        return xlsx_response(table_xlsx("入企检查记录", headers, rows), f"{enterprise.name}入企检查记录.xlsx")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    by_year = (
        Visit.objects.filter(enterprise=enterprise)
        .values_list("visited_on__year")
        .annotate(n=Count("pk"))
        .order_by("-visited_on__year")
    )
    limit, _ = selectors.repeat_limit(enterprise.unit)
    context = {
        "enterprise": enterprise,
        "page": page,
        "by_year": list(by_year),
        "limit": limit,
        "code": services.code_for(enterprise),
    }
    return render(request, "onsite/enterprise_detail.html", context)


def _sheet(request, enterprise: InspectionObject, code: EnterpriseCode) -> dict:
    url = scan_url(request, code)
    return {"enterprise": enterprise, "url": url, "svg": qr_svg(url)}


@require_safe
def enterprise_sheet(request, pk: int):
    """The A4 sheet to post at the enterprise: name, 统一社会信用代码, the QR code, the instructions."""
    enterprise = _enterprise_in_scope(request, pk)
    sheets = [_sheet(request, enterprise, services.code_for(enterprise))]
    back = reverse("onsite:enterprise_detail", args=[enterprise.pk])
    return render(request, "onsite/sheets.html", {"sheets": sheets, "back": back, "page": None})


@require_safe
def batch_sheets(request):
    """The code sheets of every enterprise of the chosen unit and below, SHEETS_PER_PAGE per page."""
    objects = selectors.enterprises(request.scope.unit_ids)
    page = Paginator(objects, SHEETS_PER_PAGE).get_page(request.GET.get("page"))
    codes = services.ensure_codes(list(page))
    sheets = [_sheet(request, o, codes[o.pk]) for o in page]
    context = {"sheets": sheets, "back": reverse("onsite:enterprise_list"), "page": page, "query": ""}
    return render(request, "onsite/sheets.html", context)


# ------------------------------------------------------------------ lists


def visits_table(visits) -> tuple[list[str], list[list]]:
    headers = [
        "序号", "入企时间", "企业名称", "统一社会信用代码", "企业所属单位", "检查单位", "执法人员",
        "检查事由", "抽查计划", "安静期", "安静期违规", "备注",
    ]  # fmt: skip
    rows = []
    for i, v in enumerate(visits[:EXPORT_LIMIT], start=1):
        officers = "、".join([v.officer.name, *(p.name for p in v.co_officers.all())])
        rows.append(
            [
                i, cn_date(v.visited_at), v.enterprise.name, v.enterprise.credit_code, v.enterprise.unit.name,
                v.unit.name, officers, v.reason_label, str(v.plan) if v.plan else "",
                str(v.quiet_period) if v.quiet_period else "", "是" if v.flagged else "否", v.note,
            ]
        )  # fmt: skip
    return headers, rows


def _unit_name(request) -> str:
    return request.scope.unit.name if request.scope.unit else ""


def _filter_units(request):
    return units_in(request.scope.unit_ids)


def _unit_ids(request, unit_pk: int | None) -> list[int]:
    if unit_pk is None:
        return request.scope.unit_ids
    allowed = set(request.scope.unit_ids)
    return [
        pk
        for pk in subtree_ids(get_object_or_404(units_in(request.scope.unit_ids), pk=unit_pk))
        if pk in allowed
    ]


@require_safe
def visit_list(request):
    """入企检查登记 of one month: by officers of the chosen unit or to its enterprises."""
    now = today()
    form = MonthFilter(request.GET or {"month": f"{now:%Y-%m}"}, units=_filter_units(request))
    if not form.is_valid():
        return render(request, "onsite/visit_list.html", {"form": form})
    month, unit_pk = form.cleaned_data["month"], form.cleaned_data["unit"]
    start = month.replace(day=1)
    end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    visits = selectors.visits_between(_unit_ids(request, unit_pk), start, end)
    title = f"{month.year}年{month.month}月入企检查登记"
    if request.GET.get("format") == "xlsx":
        headers, rows = visits_table(visits)
        return xlsx_response(table_xlsx(title, headers, rows), f"{_unit_name(request)}{title}.xlsx")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"month={month:%Y-%m}" + (f"&unit={unit_pk}" if unit_pk else "")
    context = {
        "form": form,
        "page": page,
        "title": title,
        "query": query,
        "flagged": visits.filter(flagged=True).count(),
    }
    return render(request, "onsite/visit_list.html", context)


@require_safe
def flagged_list(request):
    """安静期违规入企: visits in a quiet period for a reason it does not allow, for the 司法局."""
    now = today()
    initial = {"start": now.replace(month=1, day=1).isoformat(), "end": now.isoformat()}
    form = PeriodFilter(request.GET or initial, units=_filter_units(request))
    if not form.is_valid():
        return render(request, "onsite/flagged_list.html", {"form": form})
    start, end, unit_pk = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["unit"]
    visits = selectors.visits_between(_unit_ids(request, unit_pk), start, end, flagged=True)
    title = f"安静期违规入企（{cn_date(start)}至{cn_date(end)}）"
    if request.GET.get("format") == "xlsx":
        headers, rows = visits_table(visits)
        return xlsx_response(
            table_xlsx("安静期违规入企", headers, rows), f"{_unit_name(request)}{title}.xlsx"
        )
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"start={start.isoformat()}&end={end.isoformat()}" + (f"&unit={unit_pk}" if unit_pk else "")
    return render(
        request, "onsite/flagged_list.html", {"form": form, "page": page, "title": title, "query": query}
    )


def repeats(request):
    """Visits per enterprise in a year: over the threshold is 重复检查, by several units 多头检查; a unit
    administrator sets the threshold for its unit."""
    scope = request.scope
    limit, set_by = selectors.repeat_limit(scope.unit)
    policy_form = PolicyForm(request.POST or None, initial={"repeat_limit": limit})
    if request.method == "POST":
        if scope.unit is None:
            raise PermissionDenied("您没有可设置的单位。")
        if policy_form.is_valid():
            try:
                services.set_repeat_limit(
                    scope.unit, policy_form.cleaned_data["repeat_limit"], actor=request.user,
                    scope_ids=scope.visible_ids,
                )  # fmt: skip
            except ValidationError as exc:
                apply_validation_errors(policy_form, exc)
            else:
                messages.success(request, "已保存重复检查提示线。")
                return redirect("onsite:repeats")
    form = YearFilter(request.GET or {"year": today().year}, units=_filter_units(request))
    context = {"form": form, "policy_form": policy_form, "limit": limit, "set_by": set_by}
    if not form.is_valid():
        return render(request, "onsite/repeats.html", context)
    year, unit_pk = form.cleaned_data["year"], form.cleaned_data["unit"]
    show_all = request.GET.get("show") == "all"
    rows = selectors.visits_per_enterprise(
        _unit_ids(request, unit_pk), year, more_than=0 if show_all else limit
    )
    if request.GET.get("format") == "xlsx":
        headers = [
            "序号",
            "企业名称",
            "统一社会信用代码",
            "所属单位",
            "年度入企检查次数",
            "检查单位数",
            "安静期违规次数",
            "重复检查",
        ]
        data = [
            [i, r.enterprise.name, r.enterprise.credit_code, r.enterprise.unit.name, r.visits, r.units,
             r.flagged, "是" if r.visits > limit else "否"]
            for i, r in enumerate(rows, start=1)
        ]  # fmt: skip
        return xlsx_response(
            table_xlsx(f"{year}年入企检查次数", headers, data),
            f"{_unit_name(request)}{year}年入企检查次数.xlsx",
        )
    query = f"year={year}" + (f"&unit={unit_pk}" if unit_pk else "") + ("&show=all" if show_all else "")
    context.update({"rows": rows, "year": year, "query": query, "show_all": show_all})
    return render(request, "onsite/repeats.html", context)


# ------------------------------------------------------------------ quiet periods


def quiet_list(request):
    """企业安静期 declared by the chosen unit, the units above it and below it; a unit administrator
    declares one here."""
    scope = request.scope
    form = None
    if request.user.can_manage:
        form = _quiet_form(request, QuietPeriod(), scope)
        if request.method == "POST" and (saved := _save_quiet(request, form)):
            messages.success(request, f"已发布企业安静期“{saved.title}”。")
            return redirect("onsite:quiet_list")
    elif request.method == "POST":
        raise PermissionDenied("只有单位管理员可以设置企业安静期。")
    above = ancestor_ids(scope.unit) if scope.unit else []
    periods = QuietPeriod.objects.filter(unit_id__in=list(scope.unit_ids) + above).select_related("unit")
    return render(request, "onsite/quiet_list.html", {"periods": periods, "form": form})


def quiet_detail(request, pk: int):
    period = get_object_or_404(QuietPeriod.objects.select_related("unit"), pk=pk)
    assert_unit_in_scope(request.scope.visible_ids, period.unit)
    form = None
    if request.user.can_manage:
        form = _quiet_form(request, period, request.scope)
        if request.method == "POST" and (saved := _save_quiet(request, form)):
            messages.success(request, f"已保存企业安静期“{saved.title}”。")
            return redirect("onsite:quiet_detail", saved.pk)
        if request.method == "POST":  # the form keeps what was typed; the page shows what is saved
            period = QuietPeriod.objects.select_related("unit").get(pk=pk)
    elif request.method == "POST":
        raise PermissionDenied("只有单位管理员可以修改企业安静期。")
    listed = period.enterprises.select_related("unit").order_by("credit_code")
    flagged = Visit.objects.filter(quiet_period=period, flagged=True).count()
    return render(
        request,
        "onsite/quiet_detail.html",
        {"period": period, "form": form, "listed": listed, "flagged": flagged},
    )


@require_POST
def quiet_delete(request, pk: int):
    """Remove a quiet period (unit administrators); the visits recorded under it are flagged again."""
    period = get_object_or_404(QuietPeriod.objects.select_related("unit"), pk=pk)
    assert_unit_in_scope(request.scope.visible_ids, period.unit)
    try:
        changed = services.delete_quiet_period(
            period, actor=request.user, scope_ids=request.scope.visible_ids
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("onsite:quiet_list")
    messages.success(
        request,
        f"已删除企业安静期“{period.title}”" + (f"，重新核定了{changed}次入企检查。" if changed else "。"),
    )
    return redirect("onsite:quiet_list")


def _quiet_form(request, period: QuietPeriod, scope) -> QuietPeriodForm:
    initial = {} if period.pk else {
        "unit": scope.unit, "first_day": 1, "last_day": 20, "all_enterprises": True,
        "allowed_reasons": DEFAULT_ALLOWED_REASONS,
        "valid_from": date(today().year, 1, 1), "valid_to": date(today().year, 12, 31),
    }  # fmt: skip
    data = request.POST if request.method == "POST" else None
    return QuietPeriodForm(data, instance=period, initial=initial, units=units_in(scope.visible_ids))


def _save_quiet(request, form: QuietPeriodForm) -> QuietPeriod | None:
    if not form.is_valid():
        return None
    period = form.save(commit=False)
    period.allowed_reasons = form.cleaned_data["allowed_reasons"]
    listed = form.listed_enterprises(subtree_ids(period.unit))
    if form.errors:
        return None
    try:
        return services.save_quiet_period(
            period, actor=request.user, scope_ids=request.scope.visible_ids, enterprises=listed
        )
    except ValidationError as exc:
        apply_validation_errors(form, exc)
        return None
