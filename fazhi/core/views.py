from datetime import date

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from fazhi.org.models import Role, Unit, UnitLevel
from fazhi.rules.catalogue import RuleKind, national_rules
from fazhi.rules.services import annual_due_date
from fazhi.workdays.forms import DeadlineForm
from fazhi.workdays.services import work_calendar


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
    scope = request.scope
    today = timezone.localdate()
    level_counts = dict(
        Unit.objects.filter(pk__in=scope.unit_ids).values_list("level").annotate(n=Count("pk"))
    )
    roles = Role.objects.annotate(
        n=Count("people", filter=Q(people__unit_id__in=scope.unit_ids, people__is_active=True))
    )
    context = {
        "levels": [(label, level_counts.get(value, 0)) for value, label in UnitLevel.choices],
        "roles": roles,
        "duties": _annual_duties(scope.unit, today),
        "deadline_form": DeadlineForm(),
        "today": today,
    }
    return render(request, "core/home.html", context)
