"""The text of each part of a drafted annual report, from what Fazhi holds for the unit and year: its
figures against last year and the targets, its subordinates' figures (best and worst), the items
overdue and their recorded causes, the principal's records (hand-entered until their registers exist),
the measures that answer each shortcoming, and next year's statutory duties from the rules.

Figures are phrased so that the analyzer reads each one back as the indicator it states: a change on
last year is written after 同比/比上年 (the analyzer does not take it for a level), a subordinate's
figure right after the subordinate's name (the cross-check compares it with that unit's registers)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import cn2an

from fazhi.core.formats import cn_date, plain_number
from fazhi.indicators import dashboard
from fazhi.org.models import Unit, UnitLevel
from fazhi.registers.deadlines import today
from fazhi.registers.spec import REGISTRY
from fazhi.rules.catalogue import national_rule
from fazhi.rules.services import annual_due_date

# How reports say each figure ("全年完成合法性审查45件"); others read "<name without 数><value><unit>".
PHRASES = {
    "legality_reviews": "完成合法性审查{v}件",
    "legality_opinions": "出具审查意见{v}份",
    "agreements_reviewed": "审查行政协议{v}件",
    "legality_review_rate": "合法性审查率{v}%",
    "major_decisions": "作出重大行政决策{v}件",
    "normative_docs_issued": "制发行政规范性文件{v}件",
    "normative_docs_filed": "报送备案规范性文件{v}件",
    "normative_filing_rate": "报备率{v}%",
    "normative_filing_timely_rate": "报备及时率{v}%",
    "normative_docs_cleaned": "清理规范性文件{v}件",
    "powers_listed": "权责清单事项{v}项",
    "powers_delegated": "承接上级赋权事项{v}项",
    "rol_meetings": "主持召开会议研究法治建设工作{v}次",
    "study_sessions": "组织集体学法{v}次",
    "leader_training_attendance": "领导干部参加法治培训{v}人次",
    "law_reports_by_principals": "{v}名党政主要负责人述法",
    "staff_exam_participation_rate": "国家工作人员学法考法参考率{v}%",
    "legal_aid_cases": "办理法律援助案件{v}件",
    "law_literate_residents": "培育法律明白人{v}人",
    "reconsideration_received": "收到行政复议案件{v}件",
    # 行政执法, as the seeds say them (“8人取得执法证”“换(发)证111本”“1421人参加…考试，合格率81.4%”)
    "certified_staff": "持证执法人员{v}人",
    "certificates_issued": "全年换（发）证{v}本",
    "certificates_revoked": "收回、注销执法证件{v}本",
    "exam_candidates": "组织{v}人参加行政执法资格考试",
    "exam_pass_rate": "合格率{v}%",
    "enforcement_trainings": "开展执法培训{v}场次",
    "training_hours_compliance_rate": "执法人员培训学时达标率{v}%",
    "penalty_cases": "作出行政处罚决定{v}件",
    "major_decision_legal_review_rate": "重大执法决定法制审核率{v}%",
    "penalty_publicity_timely_rate": "处罚决定公示及时率{v}%",
    "no_penalty_first_offense": "实行“首违不罚”{v}件",
    "no_penalty_minor": "轻微违法免罚、不予处罚{v}件",
    "case_files_reviewed": "评查执法案卷{v}宗",
    "case_review_units_rectifying": "督促{v}家单位整改",
    "random_inspections": "开展双随机抽查{v}次",
    "random_inspection_objects": "抽查对象{v}户",
    "random_inspection_publicity_timely_rate": "抽查结果公示及时率{v}%",
}
# The 行政执法 paragraph's sentences: the figures of each group joined by "，", the groups by "；" (staff,
# certificates, exams, training, cases and the 三项制度, 柔性执法, 案卷评查, 双随机一公开).
ENFORCEMENT_GROUPS = (
    ("enforcement_staff", "certified_staff"),
    ("certificates_issued", "certificates_revoked"),
    ("exam_candidates", "exam_pass_rate"),
    ("enforcement_trainings", "training_hours_compliance_rate"),
    ("penalty_cases", "major_decision_legal_review_rate", "penalty_publicity_timely_rate"),
    ("no_penalty_first_offense", "no_penalty_minor"),
    ("case_files_reviewed", "case_review_units_rectifying"),
    ("random_inspections", "random_inspection_objects", "random_inspection_publicity_timely_rate"),
)
ENFORCEMENT_AREA = "行政执法"
RESPONSIBILITY_AREA = "党的领导与学法"
# The lead sentence of each area's paragraph in part 一, as the seed reports title them.
AREA_LEADS = {
    "依法决策与规范性文件": "坚持依法科学民主决策，加强行政规范性文件监督管理",
    "行政执法": "严格规范公正文明执法",
    "行政复议与应诉": "发挥行政复议化解行政争议主渠道作用，规范行政应诉",
    "矛盾纠纷与公共法律服务": "依法有效化解社会矛盾纠纷，完善公共法律服务体系",
    "普法": "深入推进普法和依法治理",
    "政务服务": "深化“放管服”改革，优化法治化营商环境",
}
# A measure for next year that answers each kind of shortcoming; the user confirms which go in part 四.
MEASURES = {
    "legality_review_rate": (
        "严格落实合法性审查制度，将重大行政决策、行政规范性文件和行政协议全部纳入审查范围，做到应审必审。"
    ),
    "normative_filing_rate": "落实行政规范性文件“有件必备”，发布后及时报送备案。",
    "normative_filing_timely_rate": "建立规范性文件报备提醒和通报机制，确保在规定时限内报送备案。",
    "legality_reviews": "配齐配强合法性审查力量，发挥法律顾问和公职律师作用。",
    "staff_exam_participation_rate": "组织国家工作人员学法考法，做到应考尽考。",
    "mediation_success_rate": "加强人民调解员培训，提升矛盾纠纷调解质效。",
    "litigation_loss_rate": "以案促改，分析败诉案件成因，规范行政执法程序。",
    "principal_appearance_rate": "落实行政机关负责人出庭应诉制度。",
    "training_hours_compliance_rate": (
        "制定年度执法人员培训计划，建立培训学时台账，确保每名执法人员每年培训不少于规定学时。"
    ),
    "major_decision_legal_review_rate": "严格落实重大执法决定法制审核制度，未经法制审核的一律不得作出决定。",
    "penalty_publicity_timely_rate": "落实行政执法公示制度，行政处罚决定在规定时限内公开。",
    "random_inspection_publicity_timely_rate": (
        "规范“双随机、一公开”监管，抽查检查结果在规定时限内向社会公示。"
    ),
}
REGISTER_MEASURE = "逐件清理逾期未办结的{label}，明确责任人和办结时限，按期办结。"
# The duties of next year each kind of unit drafts into part 四, by rule code.
DUTIES: dict[str, tuple[str, ...]] = {
    UnitLevel.COUNTY: (
        "annual_report.government_submit",
        "annual_report.publish",
        "information.government_annual_report",
        "enforcement.statistics_annual_report",
        "normative.catalogue_full_year",
        "normative.catalogue_first_half",
    ),
    UnitLevel.TOWNSHIP: (
        "annual_report.government_submit",
        "annual_report.publish",
        "normative.catalogue_full_year",
        "normative.catalogue_first_half",
    ),
    UnitLevel.DEPARTMENT: (
        "annual_report.department_submit",
        "annual_report.publish",
        "information.department_annual_report",
        "enforcement.statistics_annual_report",
    ),
}
NUMBERED = re.compile(r"^[（(][一二三四五六七八九十百]+[)）]")
MIN_UNITS_TO_RANK = 3  # best and worst of two is the whole list


def _number(value: Decimal | None) -> str:
    """A figure as reports write it (100, 72.2); callers pass figures they checked are there."""
    return "" if value is None else plain_number(value)


def ordinal(n: int) -> str:
    """一, 二, … 十一 for 1, 2, … 11."""
    return cn2an.an2cn(n)


@dataclass(frozen=True)
class Measure:
    """A measure for next year, answering one shortcoming (``key`` names it for the confirmation)."""

    key: str
    shortcoming: str
    text: str


def short_name(unit: Unit, parent: Unit | None) -> str:
    """青山县城关镇 → 城关镇 inside 青山县's report (县司法局 stays as it is)."""
    if unit.short_name:
        return unit.short_name
    if parent is not None and unit.name.startswith(parent.name) and len(unit.name) > len(parent.name):
        return unit.name[len(parent.name) :]
    return unit.name


def phrase(indicator_id: str, name: str, value) -> str | None:
    """The figure as a clause, or None when there is nothing to say (no data, or zero)."""
    if value.value is None or (value.unit != "%" and not value.value):
        return None
    number = _number(value.value)
    if indicator_id in PHRASES:
        return PHRASES[indicator_id].format(v=number)
    label = name
    for suffix in ("件数", "人数", "次数", "数"):
        if label.endswith(suffix):
            label = label[: -len(suffix)]
            break
    if label.endswith(value.unit):
        label = label[: -len(value.unit)]
    return f"{label}{number}{value.unit}"


def _change(figure: dashboard.FigureRow) -> str:
    """ ", 同比增加28件" / ", 比上年提高1.8个百分点"; nothing when last year has no figure or no change."""
    change = figure.change
    if change is None or not change:
        return ""
    size = _number(abs(change))
    if figure.unit == "%":
        return f"，比上年{'提高' if change > 0 else '下降'}{size}个百分点"
    return f"，同比{'增加' if change > 0 else '减少'}{size}{figure.unit}"


def coverage_notes(figures: list[dashboard.FigureRow]) -> list[str]:
    """For the editor, not the 公文: each hand-entered figure the draft states that not every unit
    reporting to the report's unit has entered (“调解矛盾纠纷数：10/32个单位已填报”)."""
    return [
        f"{f.name}：{f.reported[0]}/{f.reported[1]}个单位已填报"
        for f in figures
        if f.reported and f.reported[0] < f.reported[1] and f.value.value
    ]


def _clauses(figures: list[dashboard.FigureRow]) -> list[str]:
    return [f"{clause}{_change(f)}" for f in figures if (clause := phrase(f.id, f.name, f.value))]


def _ranked(unit: Unit, year: int, figure: dashboard.FigureRow) -> str:
    """Within a county (or any unit with subordinates): which township and which department did best and
    worst, each named with its figure."""
    rows = dashboard.ranking(unit, year, figure.id)
    rate = figure.unit == "%"
    high, low = ("最高", "最低") if rate else ("最多", "最少")
    sentences = []
    for level, group in ((UnitLevel.TOWNSHIP, "乡镇（街道）"), (UnitLevel.DEPARTMENT, "部门")):
        ranked = [r for r in rows if r.unit.level == level]
        if len(ranked) < MIN_UNITS_TO_RANK or ranked[0].value.value == ranked[-1].value.value:
            continue
        best, worst = ranked[0], ranked[-1]
        if not figure.higher_is_better:
            high, low = low, high
        sentences.append(
            f"各{group}中，{figure.name}{high}的是{short_name(best.unit, unit)}"
            f"（{_number(best.value.value)}{figure.unit}），{low}的是{short_name(worst.unit, unit)}"
            f"（{_number(worst.value.value)}{figure.unit}）"
        )
    return "；".join(sentences) + "。" if sentences else ""


def whole(unit: Unit) -> str:
    """How a report names everything under its unit: 全县, 全乡, 全镇, 全街道, 全局; 本单位 otherwise."""
    if unit.name.endswith("街道"):
        return "全街道"
    if unit.name[-1:] in ("县", "区", "市", "乡", "镇", "旗", "局"):
        return f"全{unit.name[-1]}"
    return "本单位"


def enforcement_text(unit: Unit, figures: list[dashboard.FigureRow]) -> str:
    """The 行政执法 figures as the seeds say them, only those with something to say: “全县共有行政执法
    人员N人，其中持证执法人员N人；全年换（发）证N本，…；开展双随机抽查N次，抽查对象N户，抽查结果公示
    及时率N%”; figures of the area outside the groups follow as usual."""
    by_id = {f.id: f for f in figures}
    sentences = []
    for group in ENFORCEMENT_GROUPS:
        clauses: list[str] = []
        for indicator_id in group:
            f = by_id.pop(indicator_id, None)
            clause = phrase(f.id, f.name, f.value) if f else None
            if f is None or clause is None:
                continue
            if indicator_id == "enforcement_staff":
                clause = f"{whole(unit)}共有行政执法人员{_number(f.value.value)}人"
            elif indicator_id == "certified_staff" and clauses:
                clause = f"其中{clause}"
            clauses.append(f"{clause}{_change(f)}")
        if clauses:
            sentences.append("，".join(clauses))
    sentences += _clauses(list(by_id.values()))
    return "；".join(sentences)


def measures_part(unit: Unit, year: int, figures: list[dashboard.FigureRow]) -> str:
    """Part 一: a paragraph per area, its figures with the change on last year, and for a unit with
    subordinates the best and worst of them on each rate."""
    by_area: dict[str, list[dashboard.FigureRow]] = defaultdict(list)
    for f in figures:
        if f.area != RESPONSIBILITY_AREA:
            by_area[f.area].append(f)
    paragraphs: list[str] = []
    for area, rows in by_area.items():
        if area == ENFORCEMENT_AREA:
            body = enforcement_text(unit, rows)
            clauses = [body] if body else []
        else:
            clauses = _clauses(rows)
        if not clauses:
            continue
        lead = AREA_LEADS.get(area, area)
        counts = [f for f in rows if f.unit != "%" and f.value.value]
        ranked = "".join(_ranked(unit, year, f) for f in rows if f.unit == "%" or (counts and f is counts[0]))
        n = ordinal(len(paragraphs) + 1)
        paragraphs.append(f"（{n}）{lead}。{year}年，{'；'.join(clauses)}。{ranked}")
    return "\n".join(paragraphs)


def _missed(figures: list[dashboard.FigureRow]) -> list[dashboard.FigureRow]:
    return [f for f in figures if f.met is False and f.value.value is not None and f.target is not None]


def _late_publications(unit_ids: list[int]) -> tuple[int, list[tuple[str, str]]]:
    """抽查计划 whose results are past their publication deadline (``results_due``: rule
    ``random_inspection.result_publicity``) and not published: how many, and the first few. The plans
    are not a register with a deadline hook, so they are read here."""
    from fazhi.inspections.models import InspectionPlan
    from fazhi.inspections.services import results_due

    now = today()
    late = []
    waiting = (
        InspectionPlan.objects.filter(
            unit_id__in=unit_ids, results_on__isnull=False, published_on__isnull=True
        )
        .select_related("unit")
        .only("pk", "unit", "title", "year", "results_on", "published_on")
        .order_by("results_on", "pk")
    )
    for plan in waiting:
        due = results_due(plan)
        if due is not None and due < now:
            late.append((str(plan), f"检查结果应于{cn_date(due)}前公示"))
    return len(late), late[:3]


def _overdue(unit_ids: list[int]) -> list[tuple[str, int, list[tuple[str, str]]]]:
    """(register label, how many, [(item, recorded cause)] for the first few) of each register with
    items past their statutory time limit, and the 抽查计划 whose results are late to be published."""
    now = today()
    found = []
    for spec in REGISTRY.values():
        if not spec.deadline or spec.key == "annual-reports":  # the report does not list itself
            continue
        late = (
            spec.model._default_manager.filter(unit_id__in=unit_ids, due_date__lt=now)
            .exclude(status__in=spec.workflow.closed)
            .order_by("due_date", "pk")
        )
        count = late.count()
        if count:
            examples = [(str(item), str(getattr(item, "note", "")).strip()) for item in late[:3]]
            found.append((spec.item_label, count, examples))
    late_plans, plan_examples = _late_publications(unit_ids)
    if late_plans:
        found.append(("抽查结果公示", late_plans, plan_examples))
    return found


def _short_of_target(unit: Unit, year: int, figure: dashboard.FigureRow) -> str:
    """The subordinates that fell short of a missed target, worst first (at most five named)."""
    target = figure.target
    assert target is not None
    short = [
        r
        for r in reversed(dashboard.ranking(unit, year, figure.id))
        if r.value.value is not None
        and (r.value.value < target if figure.higher_is_better else r.value.value > target)
    ]
    if not short:
        return ""
    named = "、".join(
        f"{short_name(r.unit, unit)}（{_number(r.value.value)}{figure.unit}）" for r in short[:5]
    )
    more = f"等{len(short)}个单位" if len(short) > 5 else ""
    return f"未达标的有{named}{more}。"


def _short_of_hours(unit: Unit, year: int, unit_ids: list[int]) -> str:
    """“尚有N名执法人员全年培训不足60学时。” (the people the training-hours check lists)."""
    from fazhi.enforcement.selectors import short_of_hours

    short = short_of_hours(unit_ids, year, unit)
    if not short:
        return ""
    required = _number(short[0].required)
    return f"尚有{len(short)}名执法人员全年培训不足{required}学时。"


# What a missed target adds after its sentence in part 二, by indicator id.
SHORTFALLS = {"training_hours_compliance_rate": _short_of_hours}


def shortcomings_part(unit: Unit, year: int, figures: list[dashboard.FigureRow], unit_ids: list[int]) -> str:
    """Part 二: the targets missed (with the subordinates that fell short), the items overdue with their
    causes as recorded, and what the registers cannot say left for the writer."""
    lines = []
    for f in _missed(figures):
        source = f"（{f.target_source}）" if f.target_source else ""
        detail = SHORTFALLS[f.id](unit, year, unit_ids) if f.id in SHORTFALLS else ""
        lines.append(
            f"{f.name}为{_number(f.value.value)}{f.unit}，"
            f"未达到{_number(f.target)}{f.unit}的目标要求{source}。{detail}{_short_of_target(unit, year, f)}"
        )
    overdue = _overdue(unit_ids)
    if overdue:
        # each count followed by 逾期: the analyzer reads a backlog, not what the register's indicator counts
        listed = "，".join(f"{label}{n}件逾期未办结" for label, n, _ in overdue)
        lines.append(f"部分事项未在法定期限内办结。截至{cn_date(today())}，尚有{listed}。")
        for label, _, examples in overdue:
            causes = "；".join(f"“{title}”，{cause or '逾期原因尚未登记'}" for title, cause in examples)
            lines[-1] += f"其中{label}{causes}。"
    if not lines:
        lines.append(f"{year}年各项指标均达到目标要求，台账中没有逾期未办结的事项。")
    numbered = [f"{ordinal(n)}是{line}" for n, line in enumerate(lines, start=1)]
    return "\n".join(numbered)


def suggested_measures(unit: Unit, figures: list[dashboard.FigureRow], unit_ids: list[int]) -> list[Measure]:
    """A measure for each shortcoming the registers show, for the user to confirm into part 四."""
    measures = []
    for f in _missed(figures):
        text = (
            MEASURES.get(f.id)
            or f"针对{f.name}未达标的问题，制定整改措施，确保达到{_number(f.target)}{f.unit}的目标。"
        )
        measures.append(Measure(f"indicator:{f.id}", f"{f.name}未达标", text))
    for label, n, _ in _overdue(unit_ids):
        measures.append(
            Measure(f"overdue:{label}", f"{label}{n}件逾期", REGISTER_MEASURE.format(label=label))
        )
    return measures


def first_responsible_part(unit: Unit, figures: list[dashboard.FigureRow]) -> str:
    """Part 三: the principal's records this year (述法, 学法, meetings), as far as Fazhi holds them."""
    clauses = _clauses([f for f in figures if f.area == RESPONSIBILITY_AREA])
    if not clauses:
        return ""  # nothing on record: the writer says it (提交审核 is refused while the part is empty)
    principal = "党政主要负责人" if unit.level in (UnitLevel.COUNTY, UnitLevel.TOWNSHIP) else "主要负责人"
    return f"{principal}认真履行推进法治建设第一责任人职责，带头尊法学法守法用法。全年{'，'.join(clauses)}。"


def next_year_part(unit: Unit, year: int) -> str:
    """Part 四, the statutory duties of next year with their dates and sources (the measures confirmed
    by the user go in the part's own text)."""
    duties: list[str] = []
    for code in DUTIES.get(unit.level, ()):
        rule = national_rule(code, date(year + 1, 1, 1))
        before = annual_due_date(code, year + 1, unit=unit) + timedelta(days=1)  # "每年M月D日之前"
        duties.append(f"{len(duties) + 1}.{rule.name}，于{cn_date(before)}前完成（依据：{rule.source}）。")
    if not duties:
        return ""
    return "\n".join([f"（一）依法按时完成{year + 1}年法定事项。", *duties])


def other_part(unit: Unit, year: int) -> str:
    """Part 五: how last year's report went out (submitted, published), from the report register."""
    from .models import AnnualReport

    previous = AnnualReport.objects.filter(unit=unit, year=year - 1).first()
    if previous is None or previous.submitted_on is None:
        return ""
    said = f"{year - 1}年度法治政府建设情况报告已于{cn_date(previous.submitted_on)}报送"
    if previous.published_on:
        said += f"，于{cn_date(previous.published_on)}向社会公开"
    return said + "。"


def drafted_texts(unit: Unit, year: int, unit_ids: list[int]) -> dict[str, str]:
    """{part: text drafted from the registers} for the unit and year."""
    figures = dashboard.key_figures(unit, year)
    return {
        "measures": measures_part(unit, year, figures),
        "shortcomings": shortcomings_part(unit, year, figures, unit_ids),
        "first_responsible": first_responsible_part(unit, figures),
        "next_year": next_year_part(unit, year),
        "other": other_part(unit, year),
    }
