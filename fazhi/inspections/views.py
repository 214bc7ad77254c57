"""The 抽查计划 pages (logged in) and the public verification page and pool files (no login: hashes,
seed, 统一社会信用代码 and 执法证号 only, no personal data)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from fazhi.org.selectors import assert_unit_in_scope, units_in
from fazhi.publicity.decorators import etag_of, public_page
from fazhi.publicity.query import public_filters
from fazhi.publicity.selectors import units as public_units
from fazhi.registers.deadlines import today

from . import draw, selectors, services, tasks
from .models import InspectionPlan, PlanStatus

POOLS = {"objects": "objects_text", "inspectors": "inspectors_text", "conflicts": "conflicts_text"}
FROZEN_TEXTS = tuple(POOLS.values())  # up to tens of megabytes: read only where they are used


class PlanForm(forms.ModelForm):
    class Meta:
        model = InspectionPlan
        fields = [
            "unit", "title", "year", "filter_industry", "filter_region", "filter_risk", "inspector_field",
            "count", "percent", "by_industry", "by_region", "by_risk", "inspectors_per_object", "drafted_on",
        ]  # fmt: skip
        widgets = {"drafted_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, scope_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in(scope_ids)


def plan_list(request):
    """抽查计划 of the chosen unit and below, and a form for a new one."""
    scope = request.scope
    form = None
    if request.user.can_edit:
        initial = {
            "unit": scope.unit,
            "year": today().year,
            "drafted_on": today(),
            "inspectors_per_object": 2,
        }
        form = PlanForm(request.POST or None, initial=initial, scope_ids=scope.visible_ids)
        if request.method == "POST" and form.is_valid():
            plan = form.save(commit=False)
            try:
                services.plan_create(plan, actor=request.user, scope_ids=scope.visible_ids)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, "已登记抽查计划。")
                return redirect("inspections:plan_detail", plan.pk)
    elif request.method == "POST":
        raise PermissionDenied("您没有登记抽查计划的权限。")
    plans = (
        InspectionPlan.objects.filter(unit_id__in=scope.unit_ids).select_related("unit").defer(*FROZEN_TEXTS)
    )
    return render(request, "inspections/plan_list.html", {"plans": plans, "form": form})


def _plan_in_scope(request, pk: int) -> InspectionPlan:
    plan = get_object_or_404(InspectionPlan.objects.select_related("unit").defer(*FROZEN_TEXTS), pk=pk)
    assert_unit_in_scope(request.scope.visible_ids, plan.unit)
    return plan


@require_safe
def plan_detail(request, pk: int):
    plan = _plan_in_scope(request, pk)
    context = {
        "plan": plan,
        "drawn": plan.drawn.all(),
        "results_due": services.results_due(plan),
        "today": today().isoformat(),
        "can_edit": request.user.can_edit,
        "first_entered": bool(plan.seed_first_digest) and not plan.seed,
        "minimum": services.minimum_inspectors(plan),
    }
    return render(request, "inspections/plan_detail.html", context)


@require_POST
def plan_step(request, pk: int, step: str):
    """One step of the plan, from the version the page showed."""
    if not request.user.can_edit:
        raise PermissionDenied("您没有办理抽查计划的权限。")
    plan = _plan_in_scope(request, pk)
    data = request.POST
    try:
        version = int(data.get("version", ""))
        on = forms.DateField().clean(data.get("on") or today().isoformat())
    except (ValueError, ValidationError):
        messages.error(request, "页面数据不完整，请刷新后重试。")
        return redirect("inspections:plan_detail", plan.pk)
    kwargs = {"actor": request.user, "scope_ids": request.scope.visible_ids, "version": version}
    if step in tasks.STEPS and tasks.in_background(plan, step):  # a large pool: the worker does it
        return redirect(tasks.start_step(plan, step, actor=request.user, version=version, on=on))
    try:
        if step == "freeze":
            services.freeze(plan, on=on, **kwargs)
        elif step == "announce":
            services.announce_seed_source(plan, on=on, source=data.get("source", ""), **kwargs)
        elif step == "seed":
            services.enter_seed(plan, value=data.get("seed", ""), **kwargs)
        elif step == "draw":
            services.draw_plan(plan, on=on, **kwargs)
        elif step == "results":
            results = {k[len("result-") :]: v for k, v in data.items() if k.startswith("result-")}
            handling = {k[len("handling-") :]: v for k, v in data.items() if k.startswith("handling-")}
            services.record_results(plan, on=on, results=results, handling=handling, **kwargs)
        elif step == "publish":
            services.publish(plan, on=on, **kwargs)
        else:
            raise Http404("没有这个步骤。")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "已办理。")
    return redirect("inspections:plan_detail", plan.pk)


def _plan_etag(request, pk: int) -> str | None:
    state = InspectionPlan.objects.filter(pk=pk).values_list("status", "version").first()
    return etag_of(today(), pk, *state) if state else None


@public_page(_plan_etag)
def plan_public(request, pk: int):
    """核验页: the published hashes, the seed and its source, how to check them by hand, and the result
    of checking them here."""
    plan = get_object_or_404(InspectionPlan.objects.select_related("unit").defer(*FROZEN_TEXTS), pk=pk)
    if plan.status == PlanStatus.DRAFT:
        raise Http404("抽查计划尚未公布。")
    drawn = list(plan.drawn.all())
    results = selectors.public_results(plan)  # empty until published
    verification = services.verify_cached(plan) if plan.seed and drawn else None
    example = drawn[0] if drawn else None
    inspectors = services.frozen_inspectors(plan)
    context = {
        "plan": plan,
        "drawn": drawn,
        "results": results,
        "verification": verification,
        "example": example,
        "example_candidate": services.example_candidate(plan, example.credit_code, inspectors)
        if example
        else None,
        "inspectors_count": len(inspectors),
        "tries": draw.candidate_limit(plan.inspectors_per_object),
        "strata": "、".join(draw.STRATUM_LABELS[s] for s in plan.strata) or "不分层",
    }
    return render(request, "inspections/plan_public.html", context)


PUBLIC_PAGE_SIZE = 30


def _list_etag(request) -> str:
    filters = public_filters(request)
    plans = selectors.published_plans(unit=filters.unit, year=filters.year).order_by()
    state = plans.aggregate(n=Count("pk"), top=Max("pk"), versions=Sum("version"))
    return etag_of(request.GET.urlencode(), *state.values())


@public_page(_list_etag)
def public_list(request):
    """双随机抽查结果公示: published plans, newest first, by unit (and its subordinates) and year. Odd
    filter values are ignored, never an error."""
    filters = public_filters(request)
    unit, year = filters.unit, filters.year
    plans = selectors.published_plans(unit=unit, year=year)
    page = Paginator(plans, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "units": public_units(),
        "years": selectors.published_years(),
        "filters": {"unit": unit, "year": year},
        "query": query,
    }
    return render(request, "inspections/public_list.html", context)


def _pool_etag(request, pk: int, pool: str) -> str | None:
    if pool not in POOLS:
        return None
    digest = InspectionPlan.objects.filter(pk=pk).values_list(f"{pool}_sha256", flat=True).first()
    return digest or None  # the file's own SHA-256: it never changes once frozen


@public_page(_pool_etag)
def pool_file(request, pk: int, pool: str):
    """A frozen pool exactly as hashed (UTF-8, LF): ``sha256sum`` of the download is the published hash."""
    if pool not in POOLS:
        raise Http404("没有这个名录。")
    plan = get_object_or_404(InspectionPlan.objects.only("status", POOLS[pool]), pk=pk)
    if plan.status == PlanStatus.DRAFT:
        raise Http404("没有这个名录。")
    response = HttpResponse(
        getattr(plan, POOLS[pool]).encode("utf-8"), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="plan{plan.pk}-{pool}.txt"'
    return response
