"""The 行政执法决定公示 as the public sees it (《行政处罚法》第四十八条, 国办发〔2018〕118号 事后公开):
decisions their unit has published, newest first, with nothing about a natural person beyond the masked name.

A decision changed to 撤销 is no longer listed (Art. 48: withdrawn once changed or revoked); one published
with a future date is not listed before that day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet

from fazhi.core.formats import plain_number
from fazhi.enforcement.models import EnforcementCase, Outcome, PartyKind, PersonNameField
from fazhi.org.models import Unit
from fazhi.org.selectors import subtree_ids

# Digits that look like a 身份证号 (18 or 15) or a phone number, wherever they stand in a free text.
ID_OR_PHONE = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15}|1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![\dXx])")
PAGE_SIZE = 50


def published_decisions(
    *, on: date, unit: Unit | None = None, year: int | None = None, q: str = ""
) -> QuerySet:
    """Published 执法决定 of ``unit`` and its subordinates (all units when None)."""
    cases = EnforcementCase.objects.filter(published_on__isnull=False, published_on__lte=on).exclude(
        outcome__in=["", Outcome.REVOKED]
    )
    if unit is not None:
        cases = cases.filter(unit_id__in=subtree_ids(unit))
    if year:
        cases = cases.filter(decided_on__year=year)
    if q:
        # never by a natural person's name, which a clerk may also have typed into the 案由: the page
        # is not a way to look a person up
        organizations = Q(party_kind=PartyKind.ORGANIZATION) & (
            Q(party_organization__icontains=q) | Q(cause__icontains=q)
        )
        cases = cases.filter(Q(number__icontains=q) | organizations)
    return cases.select_related("unit").order_by("-published_on", "-pk")


def state_of(cases: QuerySet) -> tuple[int, object, object]:
    """What changes when the listing changes: the ETag's ingredients, in one aggregate query."""
    row = cases.order_by().aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    return row["n"], row["last"], row["top"]


def units() -> list[Unit]:
    """The units to filter by, in tree order, each with ``indent`` for its depth."""
    found = list(
        Unit.objects.with_tree_fields().order_siblings_by("sort_order", "code").filter(is_active=True)
    )
    for unit in found:
        unit.indent = "　" * unit.tree_depth
    return found


@dataclass(frozen=True)
class PublicDecision:
    unit: str
    number: str
    case_type: str
    party: str
    cause: str
    outcome: str
    decided_on: date | None
    published_on: date | None


def public_row(case: EnforcementCase) -> PublicDecision:
    """The fields of ``case`` that may be published, a natural person's name masked (张*) and removed
    with any ID or phone number from the free text."""
    person = case.party_person or ""
    masked = PersonNameField.mask(person) if person else ""
    party = masked if case.party_kind == PartyKind.PERSON else case.party_organization
    return PublicDecision(
        unit=case.unit.name,
        number=case.number,
        case_type=case.get_case_type_display(),
        party=party,
        cause=scrub(case.cause, person, masked),
        outcome=outcome_text(case),
        decided_on=case.decided_on,
        published_on=case.published_on,
    )


def scrub(text: str, name: str, masked: str) -> str:
    if name and len(name) > 1:
        text = text.replace(name, masked)
    return ID_OR_PHONE.sub(lambda m: "*" * len(m.group()), text)


def outcome_text(case: EnforcementCase) -> str:
    if case.outcome == Outcome.PENALTY and case.fine_amount:
        return f"罚款{plain_number(Decimal(case.fine_amount))}元"
    return case.get_outcome_display()
