"""The 抽查计划's steps: draft, freeze the pools (and publish their SHA-256), announce the seed's source,
enter the seed (two people who must agree), draw, record results, publish; and the verification anyone
can repeat. Every step locks the plan, runs only from the version the writer read, and writes all or
nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core.formats import cn_date
from fazhi.core.gc_pause import no_cyclic_gc
from fazhi.indicators.services import data_changed
from fazhi.org.models import User
from fazhi.org.selectors import assert_unit_in_scope, subtree_ids
from fazhi.registers.deadlines import today
from fazhi.rules.services import deadline, effective_rule

from . import draw
from .models import (
    Conflict,
    DrawnObject,
    InspectionObject,
    InspectionPlan,
    Inspector,
    ListingStatus,
    PlanStatus,
)


def minimum_inspectors(plan: InspectionPlan) -> int:
    """每户至少几名检查人员 (rule ``random_inspection.inspectors_min``, a county may raise it)."""
    return int(effective_rule("random_inspection.inspectors_min", unit=plan.unit).rule.number)


def _check_plan(plan: InspectionPlan) -> None:
    errors: dict[str, str] = {}
    if (plan.count is None) == (plan.percent is None):
        errors["count"] = "抽取户数和抽取比例须填写且只填写一项。"
    elif plan.percent is not None and not 0 < plan.percent <= 100:
        errors["percent"] = "抽取比例须大于0%且不超过100%。"
    elif plan.count is not None and plan.count <= 0:
        errors["count"] = "抽取户数须大于0。"
    least = minimum_inspectors(plan)
    if plan.inspectors_per_object < least:
        rule = effective_rule("random_inspection.inspectors_min", unit=plan.unit).rule
        errors["inspectors_per_object"] = f"每户检查人员不得少于{least}人（{rule.source}）。"
    if plan.drafted_on and plan.drafted_on > today():
        errors["drafted_on"] = "起草日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)


def plan_create(plan: InspectionPlan, *, actor: User, scope_ids: list[int]) -> InspectionPlan:
    """A new plan in 起草; its unit must be in the writer's scope."""
    assert_unit_in_scope(scope_ids, plan.unit)
    plan.status = PlanStatus.DRAFT
    plan.created_by = actor
    _check_plan(plan)  # first: its Chinese messages, not the constraints' generic ones
    plan.full_clean(exclude=["created_by"])
    plan.version = 1
    plan.save()
    return plan


FROZEN_TEXTS = ("objects_text", "inspectors_text", "conflicts_text")


@transaction.atomic
def _locked(plan: InspectionPlan, version: int, scope_ids: list[int] | None, expected: str, *,
            texts: bool = False) -> InspectionPlan:  # fmt: skip
    """The plan, locked, at the version the writer read; its frozen texts read only if ``texts``."""
    plans = InspectionPlan.objects.select_for_update().select_related("unit")
    locked = (plans if texts else plans.defer(*FROZEN_TEXTS)).get(pk=plan.pk)
    if scope_ids is not None:
        assert_unit_in_scope(scope_ids, locked.unit)
    if locked.version != version:
        raise ValidationError(
            f"抽查计划已被他人修改（当前状态：{locked.get_status_display()}），请刷新后重试。"
        )
    if locked.status != expected:
        label = dict(PlanStatus.choices)[expected]
        raise ValidationError(
            f"抽查计划当前状态为“{locked.get_status_display()}”，不是“{label}”，不能办理此步骤。"
        )
    return locked


def _check_on(on: date, after: date | None, what: str, before_what: str) -> None:
    if on > today():
        raise ValidationError(f"{what}不能晚于今天。")
    if after is not None and on < after:
        raise ValidationError(f"{what}不能早于{before_what}（{cn_date(after)}）。")


def _save(plan: InspectionPlan, *, texts: bool = False) -> InspectionPlan:
    """Save the step; the frozen texts (tens of megabytes for a large pool) are written only when
    ``texts`` (at freezing), never rewritten by the later steps."""
    plan.version += 1
    if texts:
        plan.save()
    else:
        plan.save(update_fields=[f.name for f in plan._meta.concrete_fields if not f.primary_key
                                 and f.name not in FROZEN_TEXTS])  # fmt: skip
    data_changed()  # the 双随机 indicators are counted from the plans: cached figures go
    return plan


# -- 名录冻结 -----------------------------------------------------------------------------------------
@dataclass
class Pools:
    objects: list[draw.PoolObject]
    inspectors: list[str]
    conflicts: list[tuple[str, str]]


def current_pools(plan: InspectionPlan) -> Pools:
    """The objects and inspectors in the 名录 of the plan's unit and below, as the plan filters them,
    and the conflicts between them."""
    units = subtree_ids(plan.unit)
    objects = InspectionObject.objects.filter(unit_id__in=units, status=ListingStatus.LISTED)
    if plan.filter_industry:
        objects = objects.filter(industry=plan.filter_industry)
    if plan.filter_region:
        objects = objects.filter(region=plan.filter_region)
    if plan.filter_risk:
        objects = objects.filter(risk=plan.filter_risk)
    with no_cyclic_gc():  # a million tuples, none of them cyclic
        pool = [
            draw.PoolObject(*row) for row in objects.values_list("credit_code", "industry", "region", "risk")
        ]
    inspectors = Inspector.objects.filter(unit_id__in=units, status=ListingStatus.LISTED)
    if plan.inspector_field:
        inspectors = inspectors.filter(field=plan.inspector_field)
    certificates = list(inspectors.values_list("certificate", flat=True))
    codes = {o.code for o in pool}
    conflicts = [
        (certificate, code.strip())
        for certificate, code in Conflict.objects.filter(inspector__in=inspectors).values_list(
            "inspector__certificate", "credit_code"
        )
        if code.strip() in codes
    ]
    return Pools(pool, certificates, conflicts)


def plan_k(plan: InspectionPlan, pool_size: int) -> int:
    return draw.total_count(pool_size, count=plan.count, percent=plan.percent)


def freeze(
    plan: InspectionPlan, *, actor: User, scope_ids: list[int], version: int, on: date
) -> InspectionPlan:
    """名录冻结: the pools as of now, serialized canonically, their SHA-256 published on the plan. Refused
    (nothing written) when the draw could not be made from them."""
    with transaction.atomic():
        plan = _locked(plan, version, scope_ids, PlanStatus.DRAFT)
        _check_on(on, plan.drafted_on, "名录冻结日期", "起草日期")
        _check_plan(plan)
        pools = current_pools(plan)
        try:
            texts = (
                draw.objects_text(pools.objects),
                draw.inspectors_text(pools.inspectors),
                draw.conflicts_text(pools.conflicts),
            )
            k = plan_k(plan, len(pools.objects))
        except draw.DrawError as exc:
            raise ValidationError(str(exc)) from None
        problems = draw.feasibility_problems(
            pools.objects, pools.inspectors, pools.conflicts,
            strata=plan.strata, k=k, per_object=plan.inspectors_per_object,
        )  # fmt: skip
        if problems:
            raise ValidationError(["名录不满足抽取条件，未冻结：", *problems])
        plan.objects_text, plan.inspectors_text, plan.conflicts_text = texts
        plan.objects_sha256, plan.inspectors_sha256, plan.conflicts_sha256 = (
            draw.sha256_text(t) for t in texts
        )
        plan.frozen_on = on
        plan.status = PlanStatus.FROZEN
        return _save(plan, texts=True)


# -- 种子 -----------------------------------------------------------------------------------------------
def announce_seed_source(plan: InspectionPlan, *, actor: User, scope_ids: list[int], version: int, on: date,
                         source: str) -> InspectionPlan:  # fmt: skip
    """公布种子来源: how the seed will be obtained (a number two witnesses agree on at the draw, or a
    named future public value such as 福利彩票 第2026140期 开奖号码), recorded before it is known."""
    source = (source or "").strip()
    if len(source) < 4:
        raise ValidationError("请写明随机种子的来源（如“中国福利彩票双色球第2026140期开奖号码”）。")
    with transaction.atomic():
        plan = _locked(plan, version, scope_ids, PlanStatus.FROZEN)
        _check_on(on, plan.frozen_on, "公布种子来源日期", "名录冻结日期")
        plan.seed_source = source[:300]
        plan.seed_announced_on = on
        plan.status = PlanStatus.SEED_ANNOUNCED
        return _save(plan)


def enter_seed(
    plan: InspectionPlan, *, actor: User, scope_ids: list[int], version: int, value: str
) -> InspectionPlan:
    """The seed is entered twice, by two different users, who must agree. The first entry is kept only
    as its SHA-256, so the second person types what they saw, not what the first typed; the first
    person entering again replaces their entry."""
    value = (value or "").strip()
    try:
        draw._check_text(value, "随机种子")
    except draw.DrawError as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        plan = _locked(plan, version, scope_ids, PlanStatus.SEED_ANNOUNCED)
        if plan.seed:
            raise ValidationError("随机种子已由两人录入一致，不能再修改。")
        digest = draw.sha256_text(value)
        if not plan.seed_first_digest or plan.seed_first_by_id == actor.pk:
            plan.seed_first_digest, plan.seed_first_by = digest, actor
            return _save(plan)
        if digest != plan.seed_first_digest:
            raise ValidationError(
                f"两人录入的随机种子不一致（第一录入人：{plan.seed_first_by}），未保存。请核对种子来源后重新录入。"
            )
        plan.seed, plan.seed_confirmed_by = value, actor
        return _save(plan)


# -- 抽取 -----------------------------------------------------------------------------------------------
def frozen_pools(plan: InspectionPlan) -> Pools:
    return Pools(
        draw.parse_objects(plan.objects_text),
        draw.parse_inspectors(plan.inspectors_text),
        draw.parse_conflicts(plan.conflicts_text),
    )


def hash_mismatches(plan: InspectionPlan) -> list[str]:
    """The frozen pools whose SHA-256 is no longer the published one."""
    pairs = [
        ("检查对象名录", plan.objects_text, plan.objects_sha256),
        ("检查人员名录", plan.inspectors_text, plan.inspectors_sha256),
        ("回避关系", plan.conflicts_text, plan.conflicts_sha256),
    ]
    return [name for name, text, published in pairs if draw.sha256_text(text) != published]


def derive(plan: InspectionPlan) -> list[draw.Selection]:
    """The selection as the frozen pools and the seed give it."""
    pools = frozen_pools(plan)
    return draw.draw(
        pools.objects, pools.inspectors, pools.conflicts, seed=plan.seed, strata=plan.strata,
        k=plan_k(plan, len(pools.objects)), per_object=plan.inspectors_per_object,
    )  # fmt: skip


def draw_plan(
    plan: InspectionPlan, *, actor: User, scope_ids: list[int], version: int, on: date
) -> InspectionPlan:
    """执行抽取: the frozen pools (checked against their published hashes) and the agreed seed give the
    selection, stored with each object's rank key and inspectors."""
    with transaction.atomic():
        plan = _locked(plan, version, scope_ids, PlanStatus.SEED_ANNOUNCED, texts=True)
        if not plan.seed:
            raise ValidationError("随机种子尚未由两人录入一致，不能抽取。")
        _check_on(on, plan.seed_announced_on, "抽取日期", "公布种子来源日期")
        broken = hash_mismatches(plan)
        if broken:
            raise ValidationError(f"冻结的{'、'.join(broken)}与公布的SHA-256不一致，不能抽取。")
        try:
            selection = derive(plan)
        except draw.DrawError as exc:
            raise ValidationError(str(exc)) from None
        named = {
            code: (name, kind)
            for code, name, kind in InspectionObject.objects.filter(
                unit_id__in=subtree_ids(plan.unit), credit_code__in=[s.code for s in selection]
            )
            .order_by("-status", "pk")  # "removed" rows first, so an entry still 在库 wins
            .values_list("credit_code", "name", "kind")
        }
        DrawnObject.objects.bulk_create(
            [
                DrawnObject(
                    plan=plan,
                    position=n,
                    credit_code=s.code,
                    name=named.get(s.code, ("", ""))[0],
                    kind=named.get(s.code, ("", ""))[1],
                    stratum=draw.stratum_label(s.stratum, plan.strata),
                    digest=s.digest,
                    inspectors="、".join(s.inspectors),
                )
                for n, s in enumerate(selection, start=1)
            ],
            batch_size=1000,
        )
        plan.drawn_on = on
        plan.status = PlanStatus.DRAWN
        return _save(plan)


def results_due(plan: InspectionPlan) -> date | None:
    """检查结果 published within 20 working days of being recorded (rule
    ``random_inspection.result_publicity``)."""
    if plan.results_on is None:
        return None
    return deadline("random_inspection.result_publicity", plan.results_on, unit=plan.unit)


def record_results(plan: InspectionPlan, *, actor: User, scope_ids: list[int], version: int, on: date,
                   results: dict[str, str],
                   handling: dict[str, str] | None = None) -> InspectionPlan:  # fmt: skip
    """结果录入: a 检查结果 for every drawn object and, where there is one, its 处理情况 (责令整改,
    立案查处…), by 统一社会信用代码."""
    with transaction.atomic():
        plan = _locked(plan, version, scope_ids, PlanStatus.DRAWN)
        _check_on(on, plan.drawn_on, "结果录入日期", "抽取日期")
        drawn = list(plan.drawn.all())
        missing = [d.credit_code for d in drawn if not (results.get(d.credit_code) or "").strip()]
        if missing:
            raise ValidationError(f"以下抽中对象未填写检查结果：{'、'.join(missing[:10])}")
        handling = handling or {}
        for d in drawn:
            d.result = results[d.credit_code].strip()[:300]
            d.handling = (handling.get(d.credit_code) or "").strip()[:300]
        DrawnObject.objects.bulk_update(drawn, ["result", "handling"], batch_size=1000)
        plan.results_on = on
        plan.status = PlanStatus.RESULTS
        return _save(plan)


def publish(
    plan: InspectionPlan, *, actor: User, scope_ids: list[int], version: int, on: date
) -> InspectionPlan:
    with transaction.atomic():
        plan = _locked(plan, version, scope_ids, PlanStatus.RESULTS)
        _check_on(on, plan.results_on, "结果公示日期", "结果录入日期")
        plan.published_on = on
        plan.status = PlanStatus.PUBLISHED
        return _save(plan)


# -- 核验 -----------------------------------------------------------------------------------------------
@dataclass
class Verification:
    consistent: bool
    lines: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "一致" if self.consistent else "不一致"


def verify(plan: InspectionPlan) -> Verification:
    """Re-derive the draw: the frozen pools' SHA-256 against the published ones, then the selection from
    the pools and the seed against the stored one."""
    report = Verification(True)
    if plan.status in (PlanStatus.DRAFT, PlanStatus.FROZEN, PlanStatus.SEED_ANNOUNCED) or not plan.seed:
        return Verification(
            False, [f"抽查计划尚未抽取（状态：{plan.get_status_display()}），无可核验的结果。"]
        )
    for name, text, published in [
        ("检查对象名录", plan.objects_text, plan.objects_sha256),
        ("检查人员名录", plan.inspectors_text, plan.inspectors_sha256),
        ("回避关系", plan.conflicts_text, plan.conflicts_sha256),
    ]:
        actual = draw.sha256_text(text)
        if actual == published:
            report.lines.append(f"{name} SHA-256 {actual}：与公布值一致")
        else:
            report.consistent = False
            report.lines.append(f"{name} SHA-256 {actual}：与公布值 {published} 不一致")
    try:
        derived = derive(plan)
    except (draw.DrawError, ValueError) as exc:
        report.consistent = False
        report.lines.append(f"无法由冻结名录重新抽取：{exc}")
        return report
    stored = [
        (d.credit_code, d.digest, tuple(d.inspectors.split("、"))) for d in plan.drawn.order_by("position")
    ]
    expected = [(s.code, s.digest, s.inspectors) for s in derived]
    if stored == expected:
        report.lines.append(
            f"由随机种子“{plan.seed}”重新抽取的{len(expected)}户对象及检查人员与保存的抽取结果一致"
        )
    else:
        report.consistent = False
        differ = [e[0] for e, s in zip(expected, stored, strict=False) if e != s]
        report.lines.append(
            f"重新抽取的结果与保存的抽取结果不一致（重新抽取{len(expected)}户，保存{len(stored)}户；"
            f"不同的对象：{'、'.join(differ[:10]) or '数量不同'}）"
        )
    return report


def verify_cached(plan: InspectionPlan) -> Verification:
    """``verify`` of the plan at its version, re-derived once an hour at most: the public page must not
    let every visitor re-run a draw over a million objects (``fazhi draw verify`` always re-derives)."""
    key = f"inspections:verify:{plan.pk}:{plan.version}"
    found = cache.get(key)
    if found is None:
        found = verify(InspectionPlan.objects.get(pk=plan.pk))
        cache.set(key, found, 3600)
    return found


def as_dict(selection: list[draw.Selection]) -> list[dict[str, Any]]:
    return [{"code": s.code, "digest": s.digest, "inspectors": list(s.inspectors)} for s in selection]


def frozen_inspectors(plan: InspectionPlan) -> list[str]:
    """The frozen inspectors' list (read apart from the plan, whose pages defer the frozen texts)."""
    text = InspectionPlan.objects.filter(pk=plan.pk).values_list("inspectors_text", flat=True).first()
    return draw.parse_inspectors(text or "")


@dataclass
class Candidate:
    digest: str
    index: int
    line: int
    inspector: str


def example_candidate(plan: InspectionPlan, code: str, inspectors: list[str]) -> Candidate | None:
    """An object's first inspector candidate (k = 0), worked out for the verification page."""
    if not plan.seed or not inspectors:
        return None
    digest = draw.candidate_digest(plan.seed, code, 0)
    index = int(digest, 16) % len(inspectors)
    return Candidate(digest, index, index + 1, inspectors[index])
