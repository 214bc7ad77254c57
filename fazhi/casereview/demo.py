"""Demo rows of 案卷评查 in the volumes the seeds report (全年共评查执法案卷290宗；督促14家单位对案卷评查
发现的问题整改落实): quarterly rounds of the county's 司法局 over its departments' and townships' files,
each file's findings from the rubric and its score computed as the services do, and one 整改通知 per
unit with problems, some due around today."""

from __future__ import annotations

import random
from datetime import date, timedelta

from fazhi.core.demo import DemoContext
from fazhi.decisions.demo import _save, _Steps
from fazhi.org.models import Person, Unit, UnitLevel, User
from fazhi.registers.deadlines import today as local_today

from . import services
from .models import CaseFileReview, Rectification, ReviewFinding, RubricItem
from .rubric_data import seed_national_rubric

CASES = [
    "未取得食品经营许可从事食品经营", "违法占用耕地建房", "超限运输", "无证排污", "擅自采伐林木",
    "销售过期食品", "未按规定设置安全警示标志", "违规燃放烟花爆竹", "擅自设置户外广告", "无证驾驶营运车辆",
    "非法捕捞水产品", "生产经营假冒伪劣农药",
]  # fmt: skip
PROBLEMS = {
    11: "立案审批表无负责人签批", 12: "现场检查笔录仅一名执法人员签名", 13: "现场照片未注明拍摄时间、地点",
    14: "告知书未载明听证权利", 15: "法制审核意见书缺失", 16: "决定书未写明复议、诉讼途径",
    17: "送达回证无受送达人签收", 18: "超过九十日办案期限未经批准延期", 19: "罚款未缴纳，未申请强制执行",
    20: "询问笔录有涂改未经确认", 21: "卷内目录与文书不一致", 22: "处罚决定未在规定时间内公示",
    3: "认定违法所得的证据仅有当事人陈述", 5: "未经听证即作出较大数额罚款", 4: "引用已废止的地方性法规",
}  # fmt: skip
PER_YEAR = 290  # 全年共评查执法案卷290宗
RECTIFYING_UNITS = 14  # 督促14家单位整改
ROUND_DAYS = ((3, 25), (6, 24), (9, 23), (12, 16))  # quarterly rounds (按季度开展)


def _units(county: Unit) -> list[Unit]:
    """Who holds case files: the county's departments (not the 司法局 reviewing them) and townships."""
    units = county.children.filter(level__in=[UnitLevel.DEPARTMENT, UnitLevel.TOWNSHIP]).exclude(
        short_name="司法局"
    )
    return list(units.order_by("code"))


def _reviews(rng, county, units, year, today, rubric, steps, count):
    rounds = [date(year, m, d) for m, d in ROUND_DAYS if date(year, m, d) <= today]
    if not rounds:
        return [], []
    organ = f"{county.name}司法局"
    prefix = county.short_name or county.name[:2]
    items, pending, findings = [], [], []
    numbers: dict[int, int] = {}
    deductions = [n for n, i in rubric.items() if not i.veto]
    vetoes = [n for n, i in rubric.items() if i.veto]
    for k in range(count):
        unit = units[k % len(units)]
        # every unit's files in every round (k % len(rounds) gave a unit one round only when the units'
        # count is a multiple of the rounds')
        on = min(today, rounds[(k // len(units)) % len(rounds)] + timedelta(days=rng.randint(-10, 3)))
        numbers[unit.pk] = numbers.get(unit.pk, 0) + 1
        found = rng.sample(deductions, rng.choices([0, 1, 2, 3, 4], weights=[5, 4, 3, 2, 1])[0])
        if rng.random() < 0.04:
            found.append(rng.choice(vetoes))
        score, grade, vetoed = services.score(unit, found, on, rubric=rubric)
        review = CaseFileReview(
            unit=unit, number=f"{prefix}评〔{year}〕{unit.code[-4:]}-{numbers[unit.pk]}号",
            organ=organ, case_ref=f"{rng.choice(CASES)}案", reviewed_on=on, score=score, grade=grade,
            vetoed=vetoed, status="finished", finished_on=on + timedelta(days=2),
            opinion="案卷基本规范" if not found else "存在问题见评查发现问题，已通报并督促整改",
        )  # fmt: skip
        if review.finished_on > today:
            review.status, review.finished_on = "reviewing", None
        timeline = [("登记", "reviewing", on)]
        if review.finished_on:
            timeline.append(("评定", "finished", review.finished_on))
        items.append(review)
        pending.append((review, timeline))
        findings.append(found)
    return items, pending, findings


def _notices(rng, county, problem_units, year, today, steps):
    organ = f"{county.name}司法局"
    items, pending = [], []
    found = list(PROBLEMS.values())
    for n, (unit, issued) in enumerate(problem_units, start=1):
        due = issued + timedelta(days=30)
        notice = Rectification(
            unit=unit, number=f"{county.short_name or county.name[:2]}评改〔{year}〕{n}号", organ=organ,
            problems=f"案卷评查发现：{'；'.join(rng.sample(found, 3))}。请逐案整改，举一反三。",
            issued_on=issued, due_on=due, status="issued",
        )  # fmt: skip
        timeline = [("登记", "issued", issued)]
        started = issued + timedelta(days=rng.randint(2, 8))
        if started <= today:
            notice.started_on, notice.status = started, "rectifying"
            timeline.append(("开始整改", "rectifying", started))
            done = issued + timedelta(days=rng.randint(15, 40))
            # earlier years' problems were all put right (评查问题均已整改到位); this year's are under way
            if done <= today and (year < today.year or rng.random() < 0.85):
                if done > due:
                    notice.overdue_on, notice.status = due + timedelta(days=1), "overdue"
                    timeline.append(("登记逾期", "overdue", notice.overdue_on))
                notice.completed_on, notice.status = done, "done"
                notice.completion_note = "已逐案补正，修订案卷管理制度并组织培训"
                timeline.append(("确认整改完成", "done", done))
            elif due < today - timedelta(days=10):
                notice.overdue_on, notice.status = due + timedelta(days=1), "overdue"
                timeline.append(("登记逾期", "overdue", notice.overdue_on))
        items.append(notice)
        pending.append((notice, timeline))
    _save(Rectification, items, steps, pending)


def build(ctx: DemoContext) -> None:
    # an own generator seeded from the shared one's state: the contributors after this one draw the same
    # numbers with or without it
    rng = random.Random(repr(ctx.rng.getstate()))
    seed_national_rubric(RubricItem)  # after a reset's flush
    today = local_today()
    steps = _Steps(history=ctx.scale == 1)
    by = User.objects.get(username="admin")
    before = {m: m.objects.count() for m in (CaseFileReview, Rectification)}
    counties = Unit.objects.filter(level=UnitLevel.COUNTY, parent__isnull=False) or Unit.objects.filter(
        level=UnitLevel.COUNTY
    )
    for county in counties:
        units = _units(county)
        justice = county.children.filter(short_name="司法局").first()
        if not units or justice is None:
            continue
        reviewers = list(Person.objects.filter(unit=justice).order_by("pk")[:6])
        rubric = services.rubric_for(units[0])
        for year in ctx.years:
            # per county: ``--scale`` already multiplies the counties (it multiplied both: scale² rows)
            count = PER_YEAR if year == today.year else rng.randint(230, 300)
            items, pending, findings = _reviews(rng, county, units, year, today, rubric, steps, count)
            if not items:
                continue
            saved = _save(CaseFileReview, items, steps, pending)
            ReviewFinding.objects.bulk_create(
                [
                    ReviewFinding(review_id=r.pk, item_number=n, description=PROBLEMS.get(n, rubric[n].text))
                    for r, found in zip(saved, findings, strict=True)
                    for n in found
                ],
                batch_size=5000,
            )
            if reviewers:
                through = CaseFileReview.reviewers.through
                through.objects.bulk_create(
                    [
                        through(casefilereview_id=r.pk, person_id=p.pk)
                        for k, r in enumerate(saved)
                        for p in (reviewers[k % len(reviewers)], reviewers[(k + 1) % len(reviewers)])
                        if len(reviewers) > 1 or p is reviewers[0]
                    ],
                    batch_size=5000,
                    ignore_conflicts=True,
                )
            # one notice per unit whose files had the most problems, after its last round of the year
            worst: dict[int, tuple[int, Unit, date]] = {}
            for review, found in zip(saved, findings, strict=True):
                if found:
                    n, _, last = worst.get(review.unit_id, (0, review.unit, review.reviewed_on))
                    worst[review.unit_id] = (n + len(found), review.unit, max(last, review.reviewed_on))
            ranked = sorted(worst.values(), key=lambda w: (-w[0], w[1].code))
            wanted = RECTIFYING_UNITS if year == today.year else rng.randint(10, 16)
            end = min(today, date(year, 12, 31))  # a year's notices go out that year
            chosen = [
                (unit, min(last + timedelta(days=rng.randint(7, 60)), end))
                for _, unit, last in ranked[:wanted]
            ]
            _notices(rng, county, chosen, year, today, steps)
        ctx.rows["status changes"] += steps.save(by)
    for model, count in before.items():
        ctx.rows[model._meta.verbose_name] += model.objects.count() - count
