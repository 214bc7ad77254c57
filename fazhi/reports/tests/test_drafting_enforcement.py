"""The 行政执法 paragraph of the drafted report (issue 13 §7), on the shared demo county: the area's
figures phrased as the seeds phrase them (only those with something to say), read back by the analyzer
as the same indicators with the same values; part 二 names the missed enforcement targets and the
results published late."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache

from fazhi.enforcement.models import Certificate, EnforcementField
from fazhi.enforcement.selectors import short_of_hours
from fazhi.indicators import dashboard
from fazhi.indicators.catalogue import indicators
from fazhi.inspections.models import InspectionPlan, PlanStatus
from fazhi.org.models import Person, Unit, UnitLevel, User
from fazhi.org.selectors import subtree_ids
from fazhi.registers.deadlines import today
from fazhi.reports import drafting
from fazhi.reports.analyzer.analyze import analyze_text

pytestmark = pytest.mark.django_db
ENFORCEMENT = [i.id for i in indicators().values() if i.area == drafting.ENFORCEMENT_AREA]


@pytest.fixture
def county(demo_county):
    unit = Unit.objects.get(level=UnitLevel.COUNTY)
    year = today().year - 1
    return unit, year, dashboard.key_figures(unit, year)


def _said(figures):
    """The enforcement figures the paragraph should state: counts above zero, rates with a denominator."""
    return {
        f.id: f.value.value
        for f in figures
        if f.id in ENFORCEMENT and f.value.value is not None and (f.unit == "%" or f.value.value)
    }


def test_the_paragraph_states_every_figure_with_something_to_say_as_the_seeds_do(county):
    unit, year, figures = county
    said = _said(figures)
    assert {"enforcement_staff", "certified_staff", "penalty_cases", "case_files_reviewed"} <= set(said)
    body = drafting.enforcement_text(unit, [f for f in figures if f.id in ENFORCEMENT])
    assert body.startswith(f"全县共有行政执法人员{drafting.plain_number(said['enforcement_staff'])}人")
    for f in figures:
        if f.id not in ENFORCEMENT:
            continue
        clause = drafting.phrase(f.id, f.name, f.value)
        if f.id in said and f.id != "enforcement_staff":
            assert clause in body, f.id
        elif f.id not in said:
            assert clause is None or clause not in body, f.id
    part = drafting.measures_part(unit, year, figures)
    [paragraph] = [p for p in part.splitlines() if "严格规范公正文明执法。" in p]
    assert f"{year}年，{body}。" in paragraph


def test_the_analyzer_reads_the_paragraph_back_as_the_same_indicators_and_values(county):
    unit, year, figures = county
    texts = drafting.drafted_texts(unit, year, subtree_ids(unit))
    heading = f"{unit.name}人民政府关于{year}年度法治政府建设情况的报告"
    report = "\n".join([heading, f"一、{year}年推进法治政府建设的主要举措和成效", texts["measures"]])
    body = drafting.enforcement_text(unit, [f for f in figures if f.id in ENFORCEMENT])
    start = report.index(body)
    facts = [
        f
        for f in analyze_text(report, "demo.txt")["facts"]
        if start <= f["start"] < start + len(body) and not f["quote"].startswith(("同比", "比上年"))
    ]
    read = {f["indicator"]: f["value"] for f in facts if f["indicator"]}
    changes = [f for f in facts if not f["indicator"]]
    assert read == {k: float(v) if v % 1 else int(v) for k, v in _said(figures).items()}, changes


def test_part_two_names_missed_enforcement_targets_and_late_publication(county):
    unit, year, figures = county
    user = User.objects.filter(unit=unit).first()
    results_on = today() - timedelta(days=90)
    InspectionPlan.objects.create(
        unit=unit, title="餐饮服务单位食品安全抽查", year=results_on.year, status=PlanStatus.RESULTS,
        count=3, drafted_on=results_on - timedelta(days=9), frozen_on=results_on - timedelta(days=8),
        seed_announced_on=results_on - timedelta(days=8), seed="2024117",
        drawn_on=results_on - timedelta(days=7), results_on=results_on, created_by=user,
    )  # fmt: skip
    text = drafting.shortcomings_part(unit, year, figures, subtree_ids(unit))
    assert "抽查结果公示" in text and "餐饮服务单位食品安全抽查" in text and "检查结果应于" in text
    for f in figures:
        if f.id in ENFORCEMENT and f.met is False:
            assert f"{f.name}为{drafting.plain_number(f.value.value)}%，未达到100%的目标要求" in text
    # the late publication is read as a backlog, not as a figure of the indicators
    facts = analyze_text(f"二、{year}年推进法治政府建设存在的不足和原因\n{text}", "x")["facts"]
    assert not [f for f in facts if f["indicator"] in ENFORCEMENT and "逾期" in f["quote"]]


def test_a_missed_training_target_says_how_many_are_short(county):
    unit, year, _ = county
    person = Person.objects.create(unit=unit, name="新任执法人员")
    Certificate.objects.create(
        unit=unit, status="valid", number="ZF-TEST-0001", holder=person, field=EnforcementField.COMPREHENSIVE,
        issuer="青山县人民政府", issued_on=date(year, 1, 2), expires_on=date(year + 3, 1, 1),
        ended_on=date(year + 3, 1, 2),
    )  # fmt: skip
    cache.clear()  # written directly, not through the register services: the cached figures must go
    figures = dashboard.key_figures(unit, year)
    row = next(f for f in figures if f.id == "training_hours_compliance_rate")
    assert row.met is False and row.value.denominator
    short = short_of_hours(subtree_ids(unit), year, unit)
    assert person in [r.person for r in short]
    text = drafting.shortcomings_part(unit, year, figures, subtree_ids(unit))
    assert f"执法人员培训学时达标率为{drafting.plain_number(row.value.value)}%，未达到100%的目标要求" in text
    assert f"尚有{len(short)}名执法人员全年培训不足60学时。" in text


def test_whole_names_the_area_of_the_unit():
    assert drafting.whole(Unit(name="青山县")) == "全县"
    assert drafting.whole(Unit(name="长冈乡")) == "全乡"
    assert drafting.whole(Unit(name="城关街道")) == "全街道"
    assert drafting.whole(Unit(name="青山县司法局")) == "全局"
    assert drafting.whole(Unit(name="综合行政执法大队")) == "本单位"
