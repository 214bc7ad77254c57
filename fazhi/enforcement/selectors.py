"""Queries over the 执法证, 培训记录 and 执法资格考试 registers, for pages, exports and later registers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from fazhi.core.formats import cn_date
from fazhi.org.models import Person, Unit
from fazhi.rules.services import effective_rule

from .models import Certificate, CertificateStatus, RecordStatus, Training


def valid_on(on: date) -> Q:
    """Certificates that gave their holder 执法资格 on ``on``: issued by then, not yet expired, not
    注销/收回 by then, and not 暂扣 on that day (a certificate still 暂扣 counts as suspended from its
    暂扣日期; the dates of earlier 暂扣 that were lifted are in its history, not counted here)."""
    return (
        Q(issued_on__lte=on, expires_on__gte=on)
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        & ~Q(status=CertificateStatus.SUSPENDED, suspended_on__lte=on)
    )


def valid_certificate(person: Person, on_date: date) -> Certificate | None:
    """The certificate that lets ``person`` act as a 执法人员 on ``on_date``, or None.

    《中华人民共和国行政处罚法》第四十二条：行政处罚应当由具有行政执法资格的执法人员实施，执法人员不得
    少于两人（rules.md 2.19; rule ``penalty.officers_min``). The enforcement cases register checks each
    officer of a case with this on the day of the act, and that at least ``penalty.officers_min`` of them
    hold one. Of several valid certificates, the one expiring last is returned."""
    return Certificate.objects.filter(valid_on(on_date), holder=person).order_by("-expires_on", "-pk").first()


def qualified_officers(
    people: Iterable[Person], on_date: date, unit: Unit | None = None
) -> tuple[bool, list]:
    """Whether ``people`` meet 《行政处罚法》第四十二条 on ``on_date``: at least ``penalty.officers_min``
    of them, each holding a valid certificate; and the ones who hold none."""
    people = list(people)
    without = [p for p in people if valid_certificate(p, on_date) is None]
    minimum = int(effective_rule("penalty.officers_min", unit=unit, on=on_date).rule.number)
    return len(people) - len(without) >= minimum and not without, without


def expiring(unit_ids: Iterable[int], on: date, unit: Unit | None = None) -> list[Certificate]:
    """Certificates in force on ``on`` that expire within the notice window (rule
    ``enforcement.certificate_expiry_notice``), soonest first."""
    days = int(effective_rule("enforcement.certificate_expiry_notice", unit=unit, on=on).rule.number)
    return list(
        Certificate.objects.filter(
            valid_on(on), unit_id__in=list(unit_ids), expires_on__lte=on + timedelta(days=days)
        )
        .select_related("holder", "unit")
        .order_by("expires_on", "pk")
    )


@dataclass(frozen=True)
class HoursRow:
    person: Person
    certificate: Certificate
    hours: Decimal
    required: Decimal

    @property
    def short(self) -> Decimal:
        return max(self.required - self.hours, Decimal(0))


def training_hours(unit_ids: Iterable[int], year: int, unit: Unit | None = None) -> list[HoursRow]:
    """Every holder of a certificate valid at the end of ``year`` (or on the day it ended, if it ended
    during the year) with the training hours recorded for them in the year (voided records not counted),
    against rule ``enforcement.training_hours``. One row per holder, with the certificate expiring last."""
    end = date(year, 12, 31)
    start = date(year, 1, 1)
    required = effective_rule("enforcement.training_hours", unit=unit, on=end).rule.number
    held = (
        Certificate.objects.filter(unit_id__in=list(unit_ids), issued_on__lte=end, expires_on__gte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .select_related("holder", "unit")
        .order_by("holder__name", "holder_id", "-expires_on")
    )
    by_person: dict[int, Certificate] = {}
    for certificate in held:
        by_person.setdefault(certificate.holder_id, certificate)
    hours = dict(
        Training.objects.filter(person_id__in=list(by_person), trained_on__gte=start, trained_on__lte=end)
        .exclude(status=RecordStatus.VOIDED)
        .values_list("person_id")
        .annotate(total=Sum("hours"))
        .values_list("person_id", "total")
    )
    return [
        HoursRow(c.holder, c, hours.get(pk) or Decimal(0), Decimal(required)) for pk, c in by_person.items()
    ]


def short_of_hours(unit_ids: Iterable[int], year: int, unit: Unit | None = None) -> list[HoursRow]:
    """The holders of a valid certificate whose training hours in ``year`` fall short of the rule."""
    return [row for row in training_hours(unit_ids, year, unit) if row.hours < row.required]


def training_compliance(unit_ids: Iterable[int], year: int, unit: Unit | None = None) -> tuple[int, int]:
    """执法人员培训学时达标率 as (numerator, denominator): holders of a certificate valid at the end of
    ``year`` whose recorded hours reach rule ``enforcement.training_hours``, over all such holders."""
    rows = training_hours(unit_ids, year, unit)
    return sum(1 for row in rows if row.hours >= row.required), len(rows)


def officer_problems(
    handlers: Iterable[tuple[str, Person]], on: date, act: str, unit: Unit | None = None
) -> list[str]:
    """Why the officers (``(role, person)`` pairs) may not carry out ``act`` (立案, 决定) of a case on
    ``on`` (《行政处罚法》第四十二条, rule ``penalty.officers_min``): too few distinct officers, or an
    officer without a valid 执法证 that day; empty when they may."""
    handlers = list(handlers)
    people = list(dict.fromkeys(person for _, person in handlers))
    ok, without = qualified_officers(people, on, unit)
    if ok:
        return []
    messages = []
    minimum = int(effective_rule("penalty.officers_min", unit=unit, on=on).rule.number)
    if len(people) < minimum:
        messages.append(
            f"依据《中华人民共和国行政处罚法》第四十二条，{act}时执法人员不得少于{minimum}人"
            "（主办、协办执法人员不能为同一人）。"
        )
    for role, person in handlers:
        if person in without:
            messages.append(
                f"依据《中华人民共和国行政处罚法》第四十二条，执法人员应持有有效执法证件：{role}{person.name}"
                f"在{act}之日（{cn_date(on)}）无有效执法证。"
            )
    return list(dict.fromkeys(messages))
