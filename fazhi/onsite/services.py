"""Writes of 扫码入检: issuing enterprises' QR tokens, logging a visit (certificates, scope, reason, the
quiet-period flag, one visit per officer per minute), declaring, changing and removing quiet periods
(the visits they cover flagged again), setting the 重复检查 threshold. Every write is audited
(simple-history, stamped with its author) and all or nothing."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from fazhi.core.audit import stamp_actor
from fazhi.core.formats import cn_date
from fazhi.enforcement.selectors import valid_certificate
from fazhi.inspections.models import InspectionObject, InspectionPlan, ObjectKind
from fazhi.org.models import Person, Unit, User
from fazhi.org.selectors import ancestor_ids, assert_unit_in_scope, subtree_ids, visible_unit_ids
from fazhi.rules.services import effective_rule

from . import selectors
from .models import EnterpriseCode, QuietPeriod, Visit, VisitPolicy, VisitReason

# Two submissions of the same enterprise by the same officer this close together are one visit (a
# double tap, a resent form after a dropped connection).
SAME_VISIT_WINDOW = timedelta(minutes=1)


def new_token() -> str:
    """192 random bits, URL-safe: 32 characters."""
    return secrets.token_urlsafe(24)


def ensure_codes(objects: Iterable[InspectionObject]) -> dict[int, EnterpriseCode]:
    """The QR token of each enterprise among ``objects``, issuing the missing ones (统一赋码); keyed by
    the object's id. Tokens, once issued, never change."""
    wanted = [o for o in objects if o.kind == ObjectKind.ENTERPRISE]
    codes = {c.enterprise_id: c for c in EnterpriseCode.objects.filter(enterprise__in=[o.pk for o in wanted])}
    missing = [EnterpriseCode(enterprise=o, token=new_token()) for o in wanted if o.pk not in codes]
    if missing:
        with transaction.atomic():
            created = bulk_create_with_history(
                missing, EnterpriseCode, batch_size=2000, default_change_reason="赋码"
            )
        codes.update({c.enterprise_id: c for c in created})
        if any(c.pk is None for c in created):  # backends that return no ids: read them back
            codes.update(
                {
                    c.enterprise_id: c
                    for c in EnterpriseCode.objects.filter(enterprise__in=[o.pk for o in wanted])
                }
            )
    return codes


def code_for(enterprise: InspectionObject) -> EnterpriseCode:
    return ensure_codes([enterprise])[enterprise.pk]


def _officer_errors(people: list[Person], enterprise: InspectionObject, day, unit: Unit) -> list[str]:
    """《中华人民共和国行政处罚法》第四十二条 (rule ``penalty.officers_min``) and 第五十五条: a check is
    made by at least two officers, each holding a valid 执法证 on the day."""
    errors = []
    minimum = int(effective_rule("penalty.officers_min", unit=unit, on=day).rule.number)
    if len(people) < minimum:
        errors.append(
            f"依据《中华人民共和国行政处罚法》第四十二条，执法人员不得少于{minimum}人：请选择同行执法人员"
            f"（本次共{len(people)}人）。"
        )
    for person in people:
        if valid_certificate(person, day) is None:
            errors.append(
                f"依据《中华人民共和国行政处罚法》第四十二条，执法人员应持有有效执法证：{person.name}"
                f"（{person.unit.name}）在入企之日（{cn_date(day)}）无有效执法证。"
            )
    return errors


def record_visit(
    enterprise: InspectionObject,
    *,
    actor: User,
    officer: Person,
    reason: str,
    co_officers: Iterable[Person] = (),
    plan: InspectionPlan | None = None,
    reason_text: str = "",
    note: str = "",
    at: datetime | None = None,
) -> tuple[Visit, bool]:
    """Log ``officer``'s visit to ``enterprise`` at ``at`` (default: now, the server's time) and say
    whether it is new: a second submission by the same officer for the same enterprise within a minute
    returns the first visit. Co-officers may be of other units (a 联合检查). Refuses (ValidationError,
    nothing written) an officer whose unit may not inspect the enterprise, a co-officer not in post,
    officers without a valid 执法证 that day or too few of them, a 双随机抽查
    without a plan that drew the enterprise, 其他 without its text. Flags a visit made in a quiet period
    for a reason the period does not allow."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    if enterprise.kind != ObjectKind.ENTERPRISE:
        raise ValidationError("只有企业类检查对象实行扫码入检。")
    if officer.unit_id not in set(visible_unit_ids(actor)):
        raise PermissionDenied("登记的执法人员不属于您有权查看的单位。")
    errors: dict[str, list[str]] = {}
    chain = ancestor_ids(enterprise.unit)
    if not selectors.may_inspect(officer.unit, enterprise, chain):
        errors.setdefault("__all__", []).append(
            f"{officer.unit.name}无权对{enterprise.name}（属{enterprise.unit.name}）登记入企检查：须为企业所属单位"
            "或其上级单位，或本县（区）的行政执法部门。"
        )
    others = [p for p in dict.fromkeys(co_officers) if p.pk != officer.pk]
    # the rules of selectors.eligible_officers, which the scan page offers (its own unit's colleagues and
    # those of other units found by name or 执法证号, for a 联合检查)
    for person in others:
        if not person.is_active:
            errors.setdefault("co_officers", []).append(f"同行执法人员{person.name}已不在岗。")
        if not selectors.may_inspect(person.unit, enterprise, chain):
            errors.setdefault("co_officers", []).append(
                f"同行执法人员{person.name}所在的{person.unit.name}无权对该企业检查。"
            )
    certificate_errors = _officer_errors([officer, *others], enterprise, day, officer.unit)
    if certificate_errors:
        errors.setdefault("co_officers", []).extend(certificate_errors)
    reason_text, note = (reason_text or "").strip(), (note or "").strip()
    if reason not in VisitReason.values:
        errors["reason"] = ["请选择检查事由。"]
    elif reason == VisitReason.RANDOM:
        if plan is None:
            errors["plan"] = ["双随机抽查须选择抽中该企业的抽查计划。"]
        elif not selectors.plans_for(enterprise).filter(pk=plan.pk).exists():
            errors["plan"] = [f"抽查计划“{plan}”未抽中{enterprise.name}。"]
    elif plan is not None:
        errors["plan"] = ["只有双随机抽查才关联抽查计划。"]
    if reason == VisitReason.OTHER and not reason_text:
        errors["reason_text"] = ["检查事由为“其他”时须填写事由说明。"]
    if len(reason_text) > 100:
        errors["reason_text"] = ["事由说明不能超过100字。"]
    if len(note) > 300:
        errors["note"] = ["备注不能超过300字。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # one writer per enterprise at a time, so a double submission finds the first one
        code = code_for(enterprise)
        EnterpriseCode.objects.select_for_update().filter(pk=code.pk).first()
        earlier = (
            Visit.objects.filter(
                enterprise=enterprise,
                officer=officer,
                visited_at__gt=at - SAME_VISIT_WINDOW,
                visited_at__lt=at + SAME_VISIT_WINDOW,
            )
            .order_by("visited_at", "pk")
            .first()
        )
        if earlier is not None:
            return earlier, False
        _hold_quiet_periods(chain)
        period, flagged = selectors.quiet_flag(reason, selectors.quiet_periods_on(enterprise, day, chain))
        visit = Visit(
            enterprise=enterprise,
            unit=officer.unit,
            officer=officer,
            visited_at=at,
            visited_on=day,
            reason=reason,
            reason_text=reason_text if reason == VisitReason.OTHER else "",
            plan=plan if reason == VisitReason.RANDOM else None,
            note=note,
            quiet_period=period,
            flagged=flagged,
            recorded_by=actor,
        )
        stamp_actor(visit, actor)
        visit.save()
        if others:
            stamp_actor(visit, actor)
            visit.co_officers.set(others)
    return visit, True


def _hold_quiet_periods(chain: list[int]) -> None:
    """Keep the quiet periods of the units in ``chain`` (an enterprise's unit and those above it) from
    changing until this transaction ends: a period saved or removed meanwhile would re-flag the visits
    it covers without seeing the one being written. Visits share the units' rows; a change to a period
    locks its unit's row (``_lock_periods_of``). SQLite needs neither: its transactions are IMMEDIATE,
    one writer at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {Unit._meta.db_table} WHERE id = ANY(%s) ORDER BY id FOR SHARE", [chain]
            )


def _lock_periods_of(period: QuietPeriod) -> None:
    """Wait for the visits being written under the period's unit, as stored and as given (a period moved
    covers both areas; ``_hold_quiet_periods``): FOR NO KEY UPDATE, which conflicts with their FOR SHARE
    but not with rows that merely point at the units (their foreign key checks take FOR KEY SHARE), in
    id order as the visits take them."""
    stored = QuietPeriod.objects.filter(pk=period.pk).values_list("unit_id", flat=True).first()
    rows = Unit.objects.select_for_update(no_key=True).filter(pk__in={period.unit_id, stored} - {None})
    list(rows.order_by("pk").values_list("pk"))


def _check_manager(actor: User, unit: Unit, scope_ids: list[int]) -> None:
    assert_unit_in_scope(scope_ids, unit)
    if not actor.can_manage:
        raise PermissionDenied("只有单位管理员可以设置企业安静期和重复检查提示线。")


def save_quiet_period(
    period: QuietPeriod, *, actor: User, scope_ids: list[int], enterprises: Iterable[InspectionObject] = ()
) -> QuietPeriod:
    """Declare or change a quiet period of ``period.unit`` (a unit administrator of it or above). Listed
    enterprises must be enterprises of the unit's area; a period for listed enterprises lists at least
    one. The visits it covered or now covers are flagged again (``reflag_visits``): a period declared
    after the visits it covers flags them, one narrowed or widened moves its flags with it."""
    _check_manager(actor, period.unit, scope_ids)
    listed = list(dict.fromkeys(enterprises))
    period.allowed_reasons = [r for r in VisitReason.values if r in set(period.allowed_reasons or [])]
    errors: dict[str, list[str]] = {}
    try:
        period.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not period.all_enterprises and not listed:
        errors.setdefault("enterprises", []).append("不适用于辖区全部企业时，须列出适用的企业。")
    if listed:
        area = set(subtree_ids(period.unit))
        outside = [o for o in listed if o.unit_id not in area or o.kind != ObjectKind.ENTERPRISE]
        if outside:
            names = "、".join(o.name for o in outside[:5])
            errors.setdefault("enterprises", []).append(f"不是{period.unit.name}辖区的企业：{names}。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_periods_of(period)
        if period.pk is None:
            period.created_by = actor
            before: set[int] = set()
        else:
            QuietPeriod.objects.select_for_update().filter(pk=period.pk).first()
            before = set(Visit.objects.filter(quiet_period_id=period.pk).values_list("pk", flat=True))
        stamp_actor(period, actor)
        period.save()
        stamp_actor(period, actor)
        period.enterprises.set([] if period.all_enterprises else listed)
        covered = set(selectors.visits_covered(period).values_list("pk", flat=True))
        reflag_visits(before | covered, actor=actor, reason=f"企业安静期“{period.title}”变更，重新核定")
    return period


def delete_quiet_period(period: QuietPeriod, *, actor: User, scope_ids: list[int]) -> int:
    """Remove a quiet period (a unit administrator of its unit or above); the visits recorded under it
    are flagged again without it (another period may still cover them). Returns how many changed."""
    _check_manager(actor, period.unit, scope_ids)
    with transaction.atomic():
        _lock_periods_of(period)
        locked = QuietPeriod.objects.select_for_update().filter(pk=period.pk).first()
        if locked is None:
            raise ValidationError("该企业安静期已被删除。")
        under = Visit.objects.filter(quiet_period=locked).values_list("pk", flat=True)
        changed = reflag_visits(
            set(under), actor=actor, reason=f"企业安静期“{locked.title}”删除，重新核定", without=locked.pk
        )
        stamp_actor(locked, actor)
        locked.delete()
    return changed


# Visits flagged again per round (a county-wide period of a year covers every visit of the year).
REFLAG_BATCH = 2000


def reflag_visits(visit_ids: Iterable[int], *, actor: User, reason: str, without: int | None = None) -> int:
    """Give each of the visits the quiet period and flag ``record_visit`` gives a visit made now with
    the periods as they stand (less ``without``, being removed), and write those that change, each with
    an audit entry naming ``actor`` and ``reason``. Returns how many changed. Run inside the transaction
    of the change to the periods."""
    ids = sorted(set(visit_ids))
    changed = 0
    for start in range(0, len(ids), REFLAG_BATCH):
        visits = list(
            Visit.objects.filter(pk__in=ids[start : start + REFLAG_BATCH])
            .select_related("enterprise")
            .order_by("pk")
        )
        periods = selectors.covering_periods([(v.enterprise, v.visited_on) for v in visits], without=without)
        moved = []
        for visit, covering in zip(visits, periods, strict=True):
            period, flagged = selectors.quiet_flag(visit.reason, covering)
            if (visit.quiet_period_id, visit.flagged) != (period.pk if period else None, flagged):
                visit.quiet_period, visit.flagged = period, flagged
                moved.append(visit)
        if moved:
            bulk_update_with_history(
                moved,
                Visit,
                ["quiet_period", "flagged"],
                batch_size=500,
                default_user=actor,
                default_change_reason=reason,
            )
            changed += len(moved)
    return changed


def set_repeat_limit(unit: Unit, limit: int, *, actor: User, scope_ids: list[int]) -> VisitPolicy:
    """Set the unit's 重复检查 threshold (its subordinates without their own follow it)."""
    _check_manager(actor, unit, scope_ids)
    if not 1 <= limit <= 365:
        raise ValidationError({"repeat_limit": "提示线应为1至365之间的整数。"})
    with transaction.atomic():
        policy = VisitPolicy.objects.select_for_update().filter(unit=unit).first() or VisitPolicy(unit=unit)
        policy.repeat_limit = limit
        stamp_actor(policy, actor)
        policy.save()
    return policy
