from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fazhi.core.forms import year_param
from fazhi.rules.services import effective_rule

from . import services
from .calendar import DayKind, UnknownScheduleError, add_months
from .forms import DeadlineForm, ScheduleForm


def _year_grid(year: int) -> list[dict]:
    """Each month's rest days and make-up working days, for the year view."""
    schedule = services.all_schedules().get(year)
    if schedule is None:
        return []
    months = []
    for month in range(1, 13):
        holidays = sorted(d for d in schedule.holidays if d.month == month)
        makeup = sorted(d for d in schedule.makeup_workdays if d.month == month)
        if holidays or makeup:
            months.append({"month": month, "holidays": holidays, "makeup": makeup})
    return months


def calendar_page(request):
    years = services.known_years()
    today = timezone.localdate()
    year = year_param(request.GET.get("year"), default=today.year, latest=today.year + 1)
    context = {
        "years": years,
        "year": year,
        "months": _year_grid(year),
        "next_year_missing": all(y.year != today.year + 1 for y in years),
        "next_year": today.year + 1,
        "deadline_form": DeadlineForm(),
        "schedule_form": ScheduleForm() if request.user.is_system_admin else None,
    }
    return render(request, "workdays/calendar.html", context)


def load_schedule(request):
    if not request.user.is_system_admin:
        raise PermissionDenied("只有系统管理员可以载入节假日安排。")
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        schedule = form.cleaned_data["schedule"]
        services.schedule_load(schedule, actor=request.user)
        messages.success(
            request,
            f"已载入{schedule.year}年节假日安排：放假{len(schedule.holidays)}天，调休上班{len(schedule.makeup_workdays)}天。",
        )
        return redirect(f"{reverse('workdays:calendar')}?year={schedule.year}")
    return render(request, "workdays/load.html", {"form": form, "title": "载入节假日安排"})


def deadline_calculator(request):
    """The htmx partial of the deadline calculator."""
    form = DeadlineForm(request.GET)
    result = None
    error = None
    if form.is_valid():
        start = form.cleaned_data["start"]
        rule = None
        if code := form.cleaned_data["rule"]:
            rule = effective_rule(code, unit=request.scope.unit, on=start).rule
            n, kind = int(rule.number), DayKind(rule.unit)
        else:
            n, kind = form.cleaned_data["n"], DayKind(form.cleaned_data["kind"])
        cal = services.work_calendar()
        today = timezone.localdate()
        try:
            end = cal.period_end(start, n, kind)
            unrolled = {
                DayKind.DAY: start + timedelta(days=n),
                DayKind.MONTH: add_months(start, n),
                DayKind.YEAR: add_months(start, 12 * n),
            }.get(kind, end)
            result = {
                "rule": rule,
                "start": start,
                "n": n,
                "kind": kind.value,
                "end": end,
                "rolled_from": unrolled if unrolled != end else None,
                "calendar_days": (end - start).days,
                "workdays": cal.workdays_between(start, end),
                "remaining": cal.workdays_between(today, end) if end >= today else None,
            }
        except UnknownScheduleError as exc:
            error = str(exc)
    return render(request, "workdays/_deadline_result.html", {"form": form, "result": result, "error": error})
