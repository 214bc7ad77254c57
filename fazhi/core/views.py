from datetime import date
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from fazhi.indicators import dashboard
from fazhi.indicators.catalogue import indicators
from fazhi.indicators.services import figures_recalculating
from fazhi.org.models import Unit
from fazhi.registers.selectors import alerts_table, open_alerts
from fazhi.registers.spec import REGISTRY
from fazhi.rules.catalogue import RuleKind, national_rules
from fazhi.rules.services import annual_due_date
from fazhi.workdays.forms import DeadlineForm
from fazhi.workdays.services import work_calendar

from .attention import notices
from .forms import year_param
from .xlsx import table_xlsx, xlsx_response


def _annual_duties(unit: Unit | None, today: date) -> list[dict]:
    """This year's yearly reporting duties (and next year's, within 120 days), soonest first."""
    duties = []
    for rule in {r.code: r for r in national_rules() if r.kind is RuleKind.ANNUAL_DATE}.values():
        for year in (today.year, today.year + 1):
            due = annual_due_date(rule.code, year, unit=unit)
            if due < today or ((due - today).days > 120 and year > today.year):
                continue
            cal = work_calendar(strict=False)
            remaining = cal.workdays_between(today, due)
            duties.append(
                {
                    "rule": rule,
                    "due": due,
                    "days": (due - today).days,
                    "workdays": remaining,
                    "unverified_years": sorted(cal.guessed_years),
                }
            )
            break
    return sorted(duties, key=lambda d: d["due"])


def home(request):
    """The dashboard: figures against targets and last year, trends, rankings, alerts, yearly duties."""
    scope = request.scope
    today = timezone.localdate()
    year = year_param(request.GET.get("year"), default=today.year, latest=today.year + 1)
    unit = scope.unit
    figures = dashboard.key_figures(unit, year) if unit else []
    rank_id = request.GET.get("rank")
    if rank_id not in {f.id for f in figures}:  # missing, or not one of this unit's figures
        rank_id = next((f.id for f in figures if f.unit == "%"), "legality_reviews")
    ranking = dashboard.ranking(unit, year, rank_id) if unit and rank_id in {f.id for f in figures} else []
    alerts, alert_counts = open_alerts(None if scope.covers_all else scope.unit_ids)
    export = request.GET.get("export")
    if export == "figures":
        headers, rows = dashboard.figures_table(figures, year)
        return xlsx_response(table_xlsx("指标", headers, rows), f"{unit.name}{year}年指标.xlsx")
    if export == "ranking":
        headers, rows = dashboard.ranking_table(ranking, rank_id)
        return xlsx_response(table_xlsx("排名", headers, rows), f"{unit.name}{year}年{headers[2]}排名.xlsx")
    if export == "alerts":
        headers, rows = alerts_table(alerts)
        return xlsx_response(table_xlsx("临期逾期", headers, rows), f"{unit.name}临期逾期事项.xlsx")
    years = range(year - 4, year + 1)
    trend_ids = [f.id for f in figures]
    context = {
        "year": year,
        "years": list(range(today.year, today.year - 6, -1)),
        "figures": figures,
        "rank_id": rank_id,
        "rank_name": indicators()[rank_id].name if rank_id in indicators() else "",
        "ranking": ranking,
        "alerts": alerts,
        "alert_counts": [(REGISTRY[k], v) for k, v in alert_counts.items()],
        "notices": notices(None if scope.covers_all else scope.unit_ids, year),
        "chart_data": {
            "years": list(years),
            "series": dashboard.trend(unit, years, trend_ids) if unit else {},
            "names": {f.id: f.name for f in figures},
            "units": {f.id: f.unit for f in figures},
            "ranking": {
                "units": [r.unit.short_name or r.unit.name for r in ranking],
                "values": [None if r.value.value is None else float(r.value.value) for r in ranking],
            },
        },
        "duties": _annual_duties(unit, today),
        "recalculating": figures_recalculating(),
        "deadline_form": DeadlineForm(),
        "today": today,
    }
    return render(request, "core/home.html", context)


FAVICON = Path(__file__).resolve().parent / "static" / "core" / "favicon.ico"


@login_not_required
@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """/favicon.ico: browsers ask for it without reading the page (which links the SVG icon), also on
    the login page, so it is served to anyone rather than answered 404 or redirected to log in."""
    return FileResponse(FAVICON.open("rb"), content_type="image/vnd.microsoft.icon")
