"""Reads for the scan page and the 记录备查 pages, scoped to the viewer's units."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from fazhi.core.attention import Notice
from fazhi.enforcement.models import Certificate
from fazhi.enforcement.selectors import valid_on
from fazhi.inspections.models import InspectionObject, InspectionPlan, ObjectKind, PlanStatus
from fazhi.org.models import Person, Unit, UnitLevel, User
from fazhi.org.selectors import ancestor_chains, ancestor_ids, subtree_ids, visible_unit_ids

from .models import DEFAULT_REPEAT_LIMIT, QuietPeriod, Visit, VisitPolicy

# a plan has drawn its objects from the 抽取 step on
DRAWN_STATES = [PlanStatus.DRAWN, PlanStatus.RESULTS, PlanStatus.PUBLISHED]


def enterprises(unit_ids: Iterable[int]) -> QuerySet[InspectionObject]:
    """The enterprises (检查对象 of kind 企业) of the units, by 统一社会信用代码."""
    return (
        InspectionObject.objects.filter(unit_id__in=list(unit_ids), kind=ObjectKind.ENTERPRISE)
        .select_related("unit")
        .order_by("credit_code", "pk")
    )


def county_of(unit: Unit) -> int | None:
    """The nearest unit at or above ``unit`` of level 县（区）."""
    chain = ancestor_ids(unit)
    levels = dict(Unit.objects.filter(pk__in=chain).values_list("pk", "level"))
    return next((pk for pk in chain if levels.get(pk) == UnitLevel.COUNTY), None)


def may_inspect(officer_unit: Unit, enterprise: InspectionObject, chain: list[int] | None = None) -> bool:
    """Whether an officer of ``officer_unit`` may log a visit to ``enterprise``: the unit sees the
    enterprise's unit (its own or a subordinate's), or it is an enforcement department (县直部门) of the
    county the enterprise is in. ``chain``: the enterprise unit's ``ancestor_ids``, if already read."""
    chain = chain if chain is not None else ancestor_ids(enterprise.unit)
    if officer_unit.pk in chain:
        return True
    if officer_unit.level != UnitLevel.DEPARTMENT:
        return False
    county = county_of(officer_unit)
    return county is not None and county in chain


def may_log(user: User, enterprise: InspectionObject) -> bool:
    """The logged-in user may log a visit: has a person, and that person's unit may inspect."""
    person = user.person if user.person_id else None
    return person is not None and may_inspect(person.unit, enterprise)


def plans_for(enterprise: InspectionObject) -> QuerySet[InspectionPlan]:
    """The drawn 抽查计划 whose draw selected this enterprise (by its 统一社会信用代码), newest first."""
    return (
        InspectionPlan.objects.filter(status__in=DRAWN_STATES, drawn__credit_code=enterprise.credit_code)
        .defer("objects_text", "inspectors_text", "conflicts_text")
        .select_related("unit")
        .distinct()
        .order_by("-year", "-pk")
    )


def inspecting_unit_ids(enterprise: InspectionObject, chain: list[int] | None = None) -> set[int]:
    """The units whose officers ``may_inspect`` the enterprise, all at once: its unit and the units
    above it, and the 县直部门 whose county is one of those (a 联合检查 brings officers of several)."""
    chain = chain if chain is not None else ancestor_ids(enterprise.unit)
    levels = dict(Unit.objects.filter(pk__in=chain).values_list("pk", "level"))
    counties = [pk for pk in chain if levels.get(pk) == UnitLevel.COUNTY]
    eligible = set(chain)
    if not counties:
        return eligible
    below = subtree_ids(Unit(pk=counties[-1]))  # the topmost county holds every department that counts
    departments = list(
        Unit.objects.filter(pk__in=below, level=UnitLevel.DEPARTMENT).values_list("pk", flat=True)
    )
    chains = ancestor_chains(departments)
    above = {pk for c in chains.values() for pk in c}
    county_level = set(Unit.objects.filter(pk__in=above, level=UnitLevel.COUNTY).values_list("pk", flat=True))
    for department, up in chains.items():
        nearest = next((pk for pk in up if pk in county_level), None)
        if nearest is not None and nearest in eligible:
            eligible.add(department)
    return eligible


def eligible_officers(
    enterprise: InspectionObject, day: date, chain: list[int] | None = None
) -> QuerySet[Person]:
    """The people ``services.record_visit`` accepts as officers of a visit to ``enterprise`` on ``day``:
    in post, of a unit that ``may_inspect`` it, holding a valid 执法证 that day; each annotated with that
    certificate's number (``certificate_number``, the one expiring last, as ``valid_certificate``)."""
    valid = Certificate.objects.filter(valid_on(day))
    number = valid.filter(holder=OuterRef("pk")).order_by("-expires_on", "-pk").values("number")[:1]
    return (
        Person.objects.filter(
            unit_id__in=sorted(inspecting_unit_ids(enterprise, chain)),
            is_active=True,
            pk__in=valid.values("holder_id"),
        )
        .annotate(certificate_number=Subquery(number))
        .select_related("unit")
        .order_by("name", "pk")
    )


# The officers a search on the scan page lists at most, and the shortest query it runs: officers of other
# units are found by name or 执法证号, never listed wholesale.
OFFICER_SEARCH_LIMIT = 20
OFFICER_SEARCH_MIN = 2


def find_officers(
    enterprise: InspectionObject, day: date, query: str, *, limit: int = OFFICER_SEARCH_LIMIT
) -> list[Person]:
    """Officers ``eligible_officers`` for the visit whose name or 执法证号 (of a certificate valid that
    day) contains ``query``, at most ``limit``; none for a query shorter than ``OFFICER_SEARCH_MIN``."""
    query = query.strip()
    if len(query) < OFFICER_SEARCH_MIN:
        return []
    numbered = Certificate.objects.filter(valid_on(day), number__icontains=query).values("holder_id")
    found = eligible_officers(enterprise, day).filter(Q(name__icontains=query) | Q(pk__in=numbered))
    return list(found[:limit])


def officer_choice_label(person: Person) -> str:
    """How an officer is offered on the scan page: name, unit and 执法证号 only (no phone, no 身份证号)."""
    number = getattr(person, "certificate_number", "") or ""
    return f"{person.name}（{person.unit.name}{'，执法证' + number if number else ''}）"


def quiet_periods_on(
    enterprise: InspectionObject, day: date, chain: list[int] | None = None
) -> list[QuietPeriod]:
    """The quiet periods covering ``enterprise`` on ``day``: declared by its unit or a unit above for all
    enterprises, or listing it. ``chain``: the enterprise unit's ``ancestor_ids``, if already read."""
    chains = {enterprise.unit_id: chain} if chain is not None else None
    return covering_periods([(enterprise, day)], chains=chains)[0]


def covering_periods(
    pairs: Sequence[tuple[InspectionObject, date]],
    *,
    chains: dict[int, list[int]] | None = None,
    without: int | None = None,
) -> list[list[QuietPeriod]]:
    """For each (enterprise, day) of ``pairs``, the quiet periods covering it, by pk (the one definition of
    coverage: a period of the enterprise's unit or a unit above it for all enterprises, or one listing it,
    in force that day and on that day of the month), leaving out the period ``without`` (being removed).
    Three queries for any number of pairs (the unit chains, the periods, their listed enterprises)."""
    if not pairs:
        return []
    if chains is None:
        chains = ancestor_chains(sorted({e.unit_id for e, _ in pairs}))
    units = sorted({pk for e, _ in pairs for pk in chains.get(e.unit_id, [e.unit_id])})
    enterprise_ids = sorted({e.pk for e, _ in pairs})
    days = [day for _, day in pairs]
    found = (
        QuietPeriod.objects.filter(valid_from__lte=max(days), valid_to__gte=min(days))
        .filter(
            Q(all_enterprises=True, unit_id__in=units)
            | Q(all_enterprises=False, enterprises__in=enterprise_ids)
        )
        .select_related("unit")
        .distinct()
        .order_by("pk")
    )
    if without is not None:
        found = found.exclude(pk=without)
    periods = list(found)
    listed: dict[int, set[int]] = {}
    if any(not p.all_enterprises for p in periods):
        rows = QuietPeriod.enterprises.through.objects.filter(
            quietperiod_id__in=[p.pk for p in periods if not p.all_enterprises],
            inspectionobject_id__in=enterprise_ids,
        ).values_list("quietperiod_id", "inspectionobject_id")
        for period_id, enterprise_id in rows:
            listed.setdefault(period_id, set()).add(enterprise_id)
    covering = []
    for enterprise, day in pairs:
        chain = set(chains.get(enterprise.unit_id, [enterprise.unit_id]))
        covering.append(
            [
                p
                for p in periods
                if p.covers_day(day)
                and (p.unit_id in chain if p.all_enterprises else enterprise.pk in listed.get(p.pk, ()))
            ]
        )
    return covering


def quiet_flag(reason: str, periods: list[QuietPeriod]) -> tuple[QuietPeriod | None, bool]:
    """The quiet period a visit for ``reason`` is recorded under, and whether it is flagged: the first of
    ``periods`` (those covering it, by pk) that does not allow the reason, else the first of them."""
    breached = next((p for p in periods if reason not in p.allowed_reasons), None)
    return breached or (periods[0] if periods else None), breached is not None


def visits_covered(period: QuietPeriod) -> QuerySet[Visit]:
    """The visits ``period`` covers as it is stored (its dates, days of the month, area or listed
    enterprises): those whose flag it may decide."""
    visits = Visit.objects.filter(
        visited_on__gte=period.valid_from,
        visited_on__lte=period.valid_to,
        visited_on__day__gte=period.first_day,
        visited_on__day__lte=period.last_day,
    )
    if period.all_enterprises:
        return visits.filter(enterprise__unit_id__in=subtree_ids(period.unit))
    return visits.filter(enterprise__in=period.enterprises.values("pk"))


def visible_visits(unit_ids: Iterable[int]) -> QuerySet[Visit]:
    """Visits made by officers of the units, or to enterprises of the units."""
    ids = list(unit_ids)
    return (
        Visit.objects.filter(Q(unit_id__in=ids) | Q(enterprise__unit_id__in=ids))
        .select_related("enterprise", "enterprise__unit", "unit", "officer", "plan", "quiet_period")
        .prefetch_related("co_officers")
        .order_by("-visited_at", "-pk")
    )


def visits_between(unit_ids: Iterable[int], start: date, end: date, *, flagged: bool | None = None):
    visits = visible_visits(unit_ids).filter(visited_on__gte=start, visited_on__lte=end)
    if flagged is not None:
        visits = visits.filter(flagged=flagged)
    return visits


def flagged_count(unit_ids: Iterable[int] | None, start: date, end: date) -> int:
    """Flagged visits between the dates seen by the units (every unit: None, with no list of ids)."""
    if unit_ids is None:
        return Visit.objects.filter(flagged=True, visited_on__gte=start, visited_on__lte=end).count()
    return visits_between(unit_ids, start, end, flagged=True).count()


def quiet_period_notice(unit_ids: list[int] | None, year: int) -> Notice | None:
    """For the dashboard: visits of ``year`` flagged as made in a quiet period without an allowed reason."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    url = f"{reverse('onsite:flagged_list')}?start={start.isoformat()}&end={end.isoformat()}"
    return Notice("安静期违规入企", flagged_count(unit_ids, start, end), url)


def repeat_limit(unit: Unit | None) -> tuple[int, Unit | None]:
    """The 重复检查 threshold for ``unit``: the nearest unit up the tree that set one, and that unit;
    (DEFAULT_REPEAT_LIMIT, None) when none did."""
    if unit is None:
        return DEFAULT_REPEAT_LIMIT, None
    chain = ancestor_ids(unit)
    policies = {p.unit_id: p for p in VisitPolicy.objects.filter(unit_id__in=chain).select_related("unit")}
    for pk in chain:
        if pk in policies:
            return policies[pk].repeat_limit, policies[pk].unit
    return DEFAULT_REPEAT_LIMIT, None


@dataclass(frozen=True)
class RepeatRow:
    enterprise: InspectionObject
    visits: int
    units: int
    flagged: int


def visits_per_enterprise(unit_ids: Iterable[int], year: int, *, more_than: int = 0) -> list[RepeatRow]:
    """Per enterprise of the units: visits in ``year`` (by anyone), by how many inspecting units
    (多头检查), and how many of them were flagged; those with more than ``more_than`` visits, most first."""
    ids = list(unit_ids)
    counts = (
        Visit.objects.filter(enterprise__unit_id__in=ids, visited_on__year=year)
        .values("enterprise_id")
        .annotate(
            total=Count("pk"),
            units=Count("unit_id", distinct=True),
            flagged=Count("pk", filter=Q(flagged=True)),
        )
        .filter(total__gt=more_than)
        .order_by("-total", "enterprise_id")
    )
    rows = list(counts)
    objects = InspectionObject.objects.select_related("unit").in_bulk([r["enterprise_id"] for r in rows])
    return [RepeatRow(objects[r["enterprise_id"]], r["total"], r["units"], r["flagged"]) for r in rows]


def enterprise_in_scope(user: User, enterprise: InspectionObject) -> bool:
    return enterprise.unit_id in set(visible_unit_ids(user))
