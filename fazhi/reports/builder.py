"""Draft a unit's annual report from its registers: the five required parts (their text in
``drafting``), the measures the user confirms into part 四, and the organ that signs. The user's own
text is never touched by a regeneration."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.indicators.dashboard import FigureRow, key_figures
from fazhi.org.models import Unit, UnitLevel, User
from fazhi.rules.services import report_parts

from . import drafting
from .models import AnnualReport, ReportPart

HEADINGS = {
    "measures": "{year}年推进法治政府建设的主要举措和成效",
    "shortcomings": "{year}年推进法治政府建设存在的不足和原因",
    "first_responsible": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "next_year": "{next}年推进法治政府建设的主要安排",
    "other": "其他需要报告的情况",
}


def organ_name(unit: Unit) -> str:
    """The organ that signs, in full: a county or township government, or the department with its
    county's name (青山县司法局, not 县司法局)."""
    if unit.level in (UnitLevel.COUNTY, UnitLevel.TOWNSHIP):
        if unit.name.endswith(("政府", "办事处")):
            return unit.name
        return f"{unit.name}办事处" if unit.name.endswith("街道") else f"{unit.name}人民政府"
    parent = unit.parent
    if parent is not None and parent.level == UnitLevel.COUNTY and not unit.name.startswith(parent.name):
        county = parent.name
        # 县司法局 in 青山县 → 青山县司法局; 生态环境分局 → 青山县生态环境分局
        return county + unit.name[1:] if unit.name[:1] == county[-1:] else county + unit.name
    return unit.name


def drafted_parts(unit: Unit, year: int, unit_ids: list[int]) -> dict[str, tuple[str, str]]:
    """{part: (heading, text drafted from the registers)} for the unit and year."""
    texts = drafting.drafted_texts(unit, year, unit_ids)
    result = {}
    for n, rule in enumerate(report_parts()):
        part = rule.code.rsplit(".", 1)[1]
        heading = f"{drafting.ordinal(n + 1)}、{HEADINGS[part].format(year=year, next=year + 1)}"
        result[part] = (heading, texts[part])
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


def suggested_measures(
    report: AnnualReport, *, unit_ids: list[int], figures: list[FigureRow] | None = None
) -> list[drafting.Measure]:
    """The measures answering this report's shortcomings that part 四 does not say yet (``figures``: the
    report's key figures, when the caller has them already)."""
    written = "\n".join(report.parts.filter(part="next_year").values_list("text", flat=True))
    figures = key_figures(report.unit, report.year) if figures is None else figures
    measures = drafting.suggested_measures(report.unit, figures, unit_ids)
    return [m for m in measures if m.text not in written]


def editor_aids(
    report: AnnualReport, *, unit_ids: list[int], editable: bool
) -> tuple[list[drafting.Measure], list[str]]:
    """What the editor shows beside the parts: the measures to confirm (to a writer) and which
    hand-entered figures not every reporting unit has entered; the key figures are read once."""
    figures = key_figures(report.unit, report.year)
    measures = suggested_measures(report, unit_ids=unit_ids, figures=figures) if editable else []
    return measures, drafting.coverage_notes(figures)


@transaction.atomic
def adopt_measures(report: AnnualReport, keys: list[str], *, actor: User, unit_ids: list[int]) -> int:
    """Add the suggested measures the user confirmed to the text of part 四."""
    chosen = [m.text for m in suggested_measures(report, unit_ids=unit_ids) if m.key in set(keys)]
    if not chosen:
        raise ValidationError("请勾选要写入报告的措施。")
    add_measures(report, chosen, actor=actor, unit_ids=unit_ids)
    return len(chosen)


@transaction.atomic
def add_measures(report: AnnualReport, measures: list[str], *, actor: User, unit_ids: list[int]) -> None:
    """Append measures to the text of part 四, numbered （二）（三）… after the drafted duties and what
    the part already says."""
    from .annual import save_text

    part = report.parts.select_for_update().filter(part="next_year").first()
    if part is None:
        raise PermissionDenied("报告没有“下一年度主要安排”部分。")
    lines = [line for line in part.text.splitlines() if line.strip()]
    start = sum(1 for line in [*part.figures.splitlines(), *lines] if drafting.NUMBERED.match(line))
    lines += [f"（{drafting.ordinal(start + n)}）{text}" for n, text in enumerate(measures, start=1)]
    save_text(report, {"next_year": (part.heading, "\n".join(lines))}, actor=actor, scope_ids=unit_ids)


@transaction.atomic
def regenerate_figures(report: AnnualReport, *, unit_ids: list[int]) -> None:
    """Draft the figures again from today's registers; headings the user changed and all text stay."""
    drafted = drafted_parts(report.unit, report.year, unit_ids)
    for part in report.parts.all():
        if part.part in drafted:
            part.figures = drafted[part.part][1]
            part.save(update_fields=["figures", "updated_at"])
