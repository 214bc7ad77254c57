"""Draft a unit's annual report from its registers: the five required parts, each with the figures the
indicator engine has for the unit and year, phrased as the reports phrase them; shortcomings from the
targets missed and the items overdue. The user's own text is never touched by a regeneration."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from fazhi.core.formats import cn_date, plain_number
from fazhi.indicators import dashboard
from fazhi.indicators.values import IndicatorValue
from fazhi.org.models import Unit, UnitLevel, User
from fazhi.registers.deadlines import today
from fazhi.registers.selectors import open_alerts
from fazhi.registers.spec import REGISTRY
from fazhi.rules.services import report_parts

from .models import AnnualReport, ReportPart

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
}
RESPONSIBILITY = {"rol_meetings", "study_sessions", "law_reports_by_principals", "leader_training_attendance"}
HEADINGS = {
    "measures": "{year}年推进法治政府建设的主要举措和成效",
    "shortcomings": "{year}年推进法治政府建设存在的不足和原因",
    "first_responsible": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "next_year": "{next}年推进法治政府建设的主要安排",
    "other": "其他需要报告的情况",
}
NUMERALS = "一二三四五六七八九十"


def organ_name(unit: Unit) -> str:
    """The organ that signs: a county or township government, or the department itself."""
    if unit.level in (UnitLevel.COUNTY, UnitLevel.TOWNSHIP) and not unit.name.endswith(("政府", "办事处")):
        return f"{unit.name}办事处" if unit.name.endswith("街道") else f"{unit.name}人民政府"
    return unit.name


def phrase(indicator_id: str, name: str, value: IndicatorValue) -> str | None:
    """The figure as a clause, or None when there is nothing to say (no data, or zero)."""
    if value.value is None or (value.unit != "%" and not value.value):
        return None
    number = plain_number(value.value)
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


def _sentences(figures: list[dashboard.FigureRow], keep) -> str:
    by_area: dict[str, list[str]] = defaultdict(list)
    for figure in figures:
        if keep(figure.id) and (clause := phrase(figure.id, figure.name, figure.value)):
            by_area[figure.area].append(clause)
    return "\n".join(f"{area}方面，全年{'，'.join(clauses)}。" for area, clauses in by_area.items())


def _shortcomings(unit: Unit, figures: list[dashboard.FigureRow], unit_ids: list[int]) -> str:
    lines = [
        f"{f.name}为{plain_number(f.value.value)}{f.unit}，未达到{plain_number(f.target)}{f.unit}的目标。"
        for f in figures
        if f.met is False and f.value.value is not None and f.target is not None
    ]
    _, counts = open_alerts(unit_ids, limit=0)
    overdue = [
        (REGISTRY[key].item_label, n["逾期"])
        for key, n in counts.items()
        if n["逾期"] and key != "annual-reports"  # the report does not list itself
    ]
    if overdue:
        listed = "，".join(f"{label}{n}件" for label, n in overdue)
        lines.append(f"截至{cn_date(today())}，尚有{listed}逾期未办结。")
    return "\n".join(lines)


def drafted_parts(unit: Unit, year: int, unit_ids: list[int]) -> dict[str, tuple[str, str]]:
    """{part: (heading, figures)} for the unit and year."""
    figures = dashboard.key_figures(unit, year)
    content = {
        "measures": _sentences(figures, lambda i: i not in RESPONSIBILITY),
        "shortcomings": _shortcomings(unit, figures, unit_ids),
        "first_responsible": _sentences(figures, lambda i: i in RESPONSIBILITY),
        "next_year": "",
        "other": "",
    }
    result = {}
    for n, rule in enumerate(report_parts()):
        part = rule.code.rsplit(".", 1)[1]
        heading = f"{NUMERALS[n]}、{HEADINGS[part].format(year=year, next=year + 1)}"
        result[part] = (heading, content[part])
    return result


@transaction.atomic
def draft_report(unit: Unit, year: int, *, actor: User, unit_ids: list[int]) -> AnnualReport:
    """The unit's report for the year, created with its five parts drafted from the registers."""
    from fazhi.registers.services import item_create

    from .registers import ANNUAL_REPORTS

    report = AnnualReport.objects.filter(unit=unit, year=year).first()
    if report is None:
        organ = organ_name(unit)
        title = f"{organ}关于{year}年度法治政府建设情况的报告"
        report = AnnualReport(unit=unit, year=year, title=title, signatory=organ)
        item_create(ANNUAL_REPORTS, report, actor=actor, scope_ids=unit_ids, note="由台账生成初稿")
    ensure_parts(report, unit_ids=unit_ids)
    return report


def ensure_parts(report: AnnualReport, *, unit_ids: list[int]) -> None:
    """Give a report the required parts it lacks (one registered by import), drafted from the registers."""
    present = set(report.parts.values_list("part", flat=True))
    for order, (part, (heading, figures)) in enumerate(
        drafted_parts(report.unit, report.year, unit_ids).items()
    ):
        if part not in present:
            ReportPart.objects.create(report=report, part=part, order=order, heading=heading, figures=figures)


@transaction.atomic
def regenerate_figures(report: AnnualReport, *, unit_ids: list[int]) -> None:
    """Draft the figures again from today's registers; headings the user changed and all text stay."""
    drafted = drafted_parts(report.unit, report.year, unit_ids)
    for part in report.parts.all():
        if part.part in drafted:
            part.figures = drafted[part.part][1]
            part.save(update_fields=["figures", "updated_at"])
