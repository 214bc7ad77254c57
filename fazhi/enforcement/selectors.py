"""Queries over the 执法证, 培训记录 and 执法资格考试 registers, for pages, exports and later registers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse

from fazhi.core.attention import Notice
from fazhi.core.formats import cn_date
from fazhi.org.models import Person, Unit
from fazhi.rules.services import effective_rule

from .models import (
    CaseType,
    Certificate,
    CertificateStatus,
    EnforcementCase,
    Outcome,
    Publicity,
    RecordStatus,
    Training,
)


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


def discretion_problems(case) -> list[tuple[str, str]]:
    """Why the case's 裁量基准 and 四张清单 items do not support its decision, as (field, message) pairs;
    empty when they do.

    - an item must be adopted by the case's unit or a unit above it, and in force on the decision day;
    - a 行政处罚 with a fine names its 裁量基准 item (《行政处罚法》第三十四条：行政机关可以依法制定行政
      处罚裁量基准……行政处罚裁量基准应当向社会公布), and the fine stays within the item's range, or below
      its 下限 only under a 减轻处罚清单 item (第三十二条);
    - 首违不罚 names a 不予处罚清单 item (第三十三条第一款), and a list item fits the outcome."""
    from fazhi.discretion.models import ListKind, yuan
    from fazhi.org.selectors import ancestor_ids

    problems: list[tuple[str, str]] = []
    unit = case.unit if case.unit_id else None
    item = case.discretion_item if case.discretion_item_id else None
    listed = case.list_item if case.list_item_id else None
    above = ancestor_ids(unit) if unit is not None and (item or listed) else []
    for name, adopted, label in (("discretion_item", item, "裁量基准"), ("list_item", listed, "清单事项")):
        if adopted is None:
            continue
        if unit is not None and adopted.unit_id not in above:
            problems.append(
                (
                    name,
                    f"所选{label}“{adopted}”由{adopted.unit.name}制定，不适用于{unit.name}："
                    f"案件只能适用本单位或上级单位制定的{label}。",
                )
            )
        elif case.decided_on and (problem := adopted.force_problem(case.decided_on, label)):
            problems.append((name, problem))
    fine = case.fine_amount
    if case.outcome == Outcome.PENALTY and fine:
        amount = f"罚没金额{yuan(fine)}元"
        if item is None:
            problems.append(
                (
                    "discretion_item",
                    f"{amount}的行政处罚决定应选择所依据的裁量基准"
                    "（《中华人民共和国行政处罚法》第三十四条）。",
                )
            )
        elif not item.has_fine:
            problems.append(("fine_amount", f"所选裁量基准“{item}”未规定罚款，不能处以{amount}。"))
        elif fine > item.fine_max:
            problems.append(
                (
                    "fine_amount",
                    f"{amount}超出所选裁量基准“{item}”的幅度（{item.range_text}），依据{item.penalty_basis}。",
                )
            )
        elif fine < item.fine_min and (listed is None or listed.kind != ListKind.MITIGATED):
            problems.append(
                (
                    "fine_amount",
                    f"{amount}低于所选裁量基准“{item}”的幅度（{item.range_text}），依据{item.penalty_basis}；"
                    "依法减轻处罚的（《中华人民共和国行政处罚法》第三十二条），应选择所适用的减轻处罚清单事项。",
                )
            )
    if case.outcome == Outcome.NO_PENALTY_FIRST and (listed is None or listed.kind != ListKind.NO_PENALTY):
        problems.append(
            (
                "list_item",
                "处理结果为“不予处罚（首违不罚）”的，应选择所适用的不予处罚清单事项"
                "（《中华人民共和国行政处罚法》第三十三条第一款）。",
            )
        )
    if listed is not None and case.outcome:
        kind = listed.get_kind_display()
        if listed.kind == ListKind.NO_PENALTY and case.outcome == Outcome.PENALTY:
            problems.append(
                ("list_item", f"所选清单事项“{listed}”属于不予处罚清单，与处理结果“给予行政处罚”不符。")
            )
        if listed.kind in (ListKind.LIGHTER, ListKind.MITIGATED) and case.outcome != Outcome.PENALTY:
            problems.append(
                ("list_item", f"所选清单事项“{listed}”属于{kind}清单，只适用于给予行政处罚的决定。")
            )
    if listed is not None and listed.kind == ListKind.NO_COERCION and case.case_type != CaseType.COERCION:
        problems.append(
            ("list_item", f"所选清单事项“{listed}”属于不予实施行政强制措施清单，只适用于行政强制案件。")
        )
    return problems


def mitigated_below_range(case) -> bool:
    """Whether the case's fine lies below its 裁量基准's 下限 under a 减轻处罚清单 item."""
    from fazhi.discretion.models import ListKind

    item = case.discretion_item if case.discretion_item_id else None
    listed = case.list_item if case.list_item_id else None
    return bool(
        item is not None
        and item.has_fine
        and case.fine_amount
        and case.fine_amount < item.fine_min
        and listed is not None
        and listed.kind == ListKind.MITIGATED
    )


def other_handler_problems(case, others: list[Person]) -> list[str]:
    """Why the 其他执法人员 of a case may not act: one named twice or also 主办/协办, or one without a
    valid 执法证 on the day of 立案 or of 决定 (《行政处罚法》第四十二条, ``officer_problems``)."""
    messages = []
    seen: set[int] = set()
    for person in others:
        if person.pk in (case.lead_handler_id, case.co_handler_id):
            role = "主办执法人员" if person.pk == case.lead_handler_id else "协办执法人员"
            messages.append(f"其他执法人员{person.name}已是本案{role}，不能重复填写。")
        elif person.pk in seen:
            messages.append(f"其他执法人员{person.name}重复填写。")
        seen.add(person.pk)
    if messages or not case.lead_handler_id or not case.co_handler_id:
        return messages
    handlers = [("主办执法人员", case.lead_handler), ("协办执法人员", case.co_handler)]
    handlers += [("其他执法人员", person) for person in others]
    unit = case.unit if case.unit_id else None
    for on, act in ((case.filed_on, "立案"), (case.decided_on, "决定")):
        if on:
            messages += officer_problems(handlers, on, act, unit)
    return list(dict.fromkeys(messages))


# -- 公示 of enforcement decisions (行政执法公示制度) --------------------------------------------------
def closed_unpublished(unit_ids: list[int] | None, year: int) -> QuerySet[EnforcementCase]:
    """Cases of the units (every unit: None) filed in ``year`` that were closed with their decision never
    公示 (国办发〔2018〕118号: 行政许可 and 行政处罚 decisions within 7 working days, others within 20;
    ``registers.publicity_rule``). Filed in the year, as the cases register's year filter reads it, so
    the count and the list it links to agree."""
    cases = EnforcementCase.objects.filter(publicity=Publicity.CLOSED_UNPUBLISHED, filed_on__year=year)
    return cases if unit_ids is None else cases.filter(unit_id__in=unit_ids)


def closed_unpublished_notice(unit_ids: list[int] | None, year: int) -> Notice | None:
    """For the dashboard (the 司法局's view of its units): the year's cases closed without the 公示 of
    their decision, linked to the cases register filtered the same way (a closed case has no deadline
    left, so the register's 临期/逾期 alerts do not show it)."""
    query = urlencode({"publicity": Publicity.CLOSED_UNPUBLISHED, "year": year})
    url = f"{reverse('registers:list', args=['enforcement-cases'])}?{query}"
    return Notice("执法决定结案未公示", closed_unpublished(unit_ids, year).count(), url, measure="件")
