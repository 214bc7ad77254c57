"""A 抽查计划 through its steps: freeze (hashes), seed source, two agreeing seed entries, draw, verify
(service, CLI, public page), results and publication; and the refusals, which write nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.cli import main
from fazhi.inspections import draw, selectors, services
from fazhi.inspections.models import (
    Conflict,
    DrawnObject,
    InspectionObject,
    InspectionPlan,
    Inspector,
    ObjectKind,
    PlanStatus,
)
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = date(2025, 3, 3)


@pytest.fixture
def setting(county):
    unit = county["changgang"]
    first = UserFactory(unit=unit, role=UserRole.OPERATOR, username="clerk1")
    second = UserFactory(unit=unit, role=UserRole.OPERATOR, username="clerk2")
    for i in range(30):
        InspectionObject.objects.create(
            unit=county["changgang_office"], status="listed", name=f"长冈第{i}号商店",
            kind=ObjectKind.ENTERPRISE,
            credit_code=f"91330102MA{i:08d}", industry=["餐饮服务", "食品销售"][i % 2], region="长冈乡",
            risk="ABCD"[i % 4], listed_on=DAY,
        )  # fmt: skip
    inspectors = [
        Inspector.objects.create(
            unit=unit,
            status="listed",
            certificate=f"浙3301{i:04d}",
            person=PersonFactory(unit=unit),
            field="市场监管",
            listed_on=DAY,
        )
        for i in range(4)
    ]
    Conflict.objects.create(inspector=inspectors[0], credit_code="91330102MA00000000", reason="近亲属经营")
    Conflict.objects.create(inspector=inspectors[1], credit_code="91330102MA00000000", reason="曾任职")
    return {
        "unit": unit,
        "first": first,
        "second": second,
        "scope": subtree_ids(unit),
        "inspectors": inspectors,
    }


def new_plan(setting, **fields):
    values = dict(unit=setting["unit"], title="食品经营者日常监督检查", year=2025, count=6, by_industry=True,
                  inspectors_per_object=2, drafted_on=DAY)  # fmt: skip
    values.update(fields)
    return services.plan_create(InspectionPlan(**values), actor=setting["first"], scope_ids=setting["scope"])


def drawn_plan(setting, seed="2025030"):
    s = setting
    plan = new_plan(s)
    common = dict(scope_ids=s["scope"])
    plan = services.freeze(plan, actor=s["first"], version=plan.version, on=DAY + timedelta(days=1), **common)
    plan = services.announce_seed_source(
        plan, actor=s["first"], version=plan.version, on=DAY + timedelta(days=1),
        source="中国福利彩票双色球第2025030期开奖号码", **common,
    )  # fmt: skip
    plan = services.enter_seed(plan, actor=s["first"], version=plan.version, value=seed, **common)
    plan = services.enter_seed(plan, actor=s["second"], version=plan.version, value=seed, **common)
    return services.draw_plan(
        plan, actor=s["first"], version=plan.version, on=DAY + timedelta(days=3), **common
    )


def test_a_plan_is_drawn_reproducibly_and_verifies(setting):
    plan = drawn_plan(setting)
    assert plan.status == PlanStatus.DRAWN and plan.seed == "2025030"
    assert (
        plan.objects_sha256 == draw.sha256_text(plan.objects_text)
        and len(plan.objects_text.splitlines()) == 30
    )
    rows = list(plan.drawn.all())
    assert len(rows) == 6 and {r.stratum for r in rows} == {"行业“餐饮服务”", "行业“食品销售”"}
    for row in rows:
        inspectors = row.inspectors.split("、")
        assert len(inspectors) == 2 == len(set(inspectors))
        if row.credit_code == "91330102MA00000000":
            assert set(inspectors) == {"浙33010002", "浙33010003"}  # 回避
    # the same frozen pools and seed give the same selection
    assert [(s.code, s.inspectors) for s in services.derive(plan)] == [
        (r.credit_code, tuple(r.inspectors.split("、"))) for r in rows
    ]
    assert services.verify(plan).consistent


def test_verify_detects_a_changed_pool_and_a_changed_selection(setting, capsys):
    plan = drawn_plan(setting)
    assert main(["draw", "verify", str(plan.pk)]) == 0
    assert "核验结果：一致" in capsys.readouterr().out
    InspectionPlan.objects.filter(pk=plan.pk).update(
        objects_text=plan.objects_text.replace("MA00000001", "MA00009999")
    )
    assert main(["draw", "verify", str(plan.pk)]) == 1
    out = capsys.readouterr().out
    assert "检查对象名录 SHA-256" in out and "不一致" in out and "核验结果：不一致" in out
    InspectionPlan.objects.filter(pk=plan.pk).update(objects_text=plan.objects_text)
    DrawnObject.objects.filter(plan=plan, position=1).update(inspectors="浙33010000、浙33010001")
    report = services.verify(InspectionPlan.objects.get(pk=plan.pk))
    assert not report.consistent and "重新抽取的结果与保存的抽取结果不一致" in report.lines[-1]
    assert main(["draw", "verify", "999999"]) == 2


def test_the_public_page_needs_no_login_and_shows_hashes_seed_and_method(setting, client):
    plan = drawn_plan(setting)
    response = client.get(reverse("inspections:plan_public", args=[plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        plan.objects_sha256 in page and "2025030" in page and "中国福利彩票双色球第2025030期开奖号码" in page
    )
    assert "sha256sum" in page and "本站重新核验：<strong>一致</strong>" in page
    assert "长冈第" not in page  # names are not needed to verify
    # the worked example of the first inspector candidate, as `printf … | sha256sum` and mod N give it
    first = plan.drawn.order_by("position").first()
    example = services.example_candidate(plan, first.credit_code, services.frozen_inspectors(plan))
    assert example.digest == draw.candidate_digest(plan.seed, first.credit_code, 0)
    assert f'% 4)"</code> 得 {example.index}，即第{example.line}行的 {example.inspector}' in page
    pool = client.get(reverse("inspections:pool_file", args=[plan.pk, "objects"]))
    assert draw.sha256_text(pool.content.decode()) == plan.objects_sha256


def test_seeds_must_be_entered_by_two_people_who_agree(setting):
    s = setting
    plan = new_plan(s)
    plan = services.freeze(plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, on=DAY)
    plan = services.announce_seed_source(plan, actor=s["first"], scope_ids=s["scope"], version=plan.version,
                                         on=DAY, source="现场见证人报出的六位数字")  # fmt: skip
    with pytest.raises(ValidationError, match="随机种子尚未由两人录入一致"):
        services.draw_plan(plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, on=DAY)
    plan = services.enter_seed(
        plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, value="123456"
    )
    plan = services.enter_seed(
        plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, value="123457"
    )
    assert not plan.seed  # the first person corrected their own entry
    with pytest.raises(ValidationError, match="两人录入的随机种子不一致"):
        services.enter_seed(
            plan, actor=s["second"], scope_ids=s["scope"], version=plan.version, value="123456"
        )
    stored = InspectionPlan.objects.get(pk=plan.pk)
    assert (stored.seed, stored.version, stored.seed_first_digest) == (
        "",
        plan.version,
        draw.sha256_text("123457"),
    )
    assert not DrawnObject.objects.exists()


def test_stale_and_out_of_order_steps_are_refused_and_write_nothing(setting):
    s = setting
    plan = new_plan(s)
    with pytest.raises(ValidationError, match="不是“公布种子来源”"):
        services.draw_plan(plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, on=DAY)
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.freeze(plan, actor=s["first"], scope_ids=s["scope"], version=plan.version - 1, on=DAY)
    with pytest.raises(ValidationError, match="不能早于起草日期"):
        services.freeze(
            plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, on=DAY - timedelta(days=1)
        )
    stored = InspectionPlan.objects.get(pk=plan.pk)
    assert (stored.status, stored.objects_sha256, stored.version) == (PlanStatus.DRAFT, "", 1)


def test_infeasible_plans_are_not_frozen(setting):
    s = setting
    too_many = new_plan(s, count=31)
    with pytest.raises(ValidationError, match="计划抽取31户，名录中只有30户"):
        services.freeze(too_many, actor=s["first"], scope_ids=s["scope"], version=1, on=DAY)
    three_each = new_plan(s, inspectors_per_object=3, title="三人检查")
    with pytest.raises(ValidationError, match=r"检查对象91330102MA00000000.*只有2名无须回避"):
        services.freeze(three_each, actor=s["first"], scope_ids=s["scope"], version=1, on=DAY)
    assert set(InspectionPlan.objects.values_list("status", "objects_text")) == {(PlanStatus.DRAFT, "")}


def test_fewer_than_two_inspectors_per_object_is_refused_with_its_source(setting):
    with pytest.raises(ValidationError, match=r"每户检查人员不得少于2人（.*国发〔2019〕5号"):
        new_plan(setting, inspectors_per_object=1)
    with pytest.raises(ValidationError, match="只填写一项"):
        new_plan(setting, percent=5)


def test_results_then_publication_within_twenty_working_days(setting, client):
    s = setting
    plan = drawn_plan(s)
    codes = list(plan.drawn.values_list("credit_code", flat=True))
    with pytest.raises(ValidationError, match="未填写检查结果"):
        services.record_results(plan, actor=s["first"], scope_ids=s["scope"], version=plan.version,
                                on=DAY + timedelta(days=10), results={codes[0]: "未发现问题"})  # fmt: skip
    plan = services.record_results(plan, actor=s["first"], scope_ids=s["scope"], version=plan.version,
                                   on=DAY + timedelta(days=10),
                                   results=dict.fromkeys(codes, "未发现问题"))  # fmt: skip
    assert services.results_due(plan) == date(
        2025, 4, 11
    )  # 20 working days after 2025年3月13日 (清明 4月4日)
    # unpublished past that day: the dashboard says so to the plan's unit and those above it
    notice = selectors.late_results_notice([s["unit"].pk], plan.year)
    assert notice is not None and (notice.label, notice.count) == ("抽查结果逾期未公示", 1)
    assert selectors.late_results_notice([s["unit"].parent_id], plan.year).count == 0  # not in that scope
    plan = services.publish(
        plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, on=DAY + timedelta(days=20)
    )
    assert plan.status == PlanStatus.PUBLISHED
    client.force_login(s["first"])
    assert client.get(reverse("inspections:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("inspections:plan_list")).status_code == 200


def test_the_steps_through_the_pages(setting, client):
    s = setting
    plan = new_plan(s)
    client.force_login(s["first"])
    url = reverse("inspections:plan_step", args=[plan.pk, "freeze"])
    response = client.post(url, {"version": plan.version, "on": DAY.isoformat()}, follow=True)
    assert "已办理" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FROZEN and len(plan.objects_sha256) == 64
    response = client.post(url, {"version": plan.version, "on": DAY.isoformat()}, follow=True)
    assert "不是“起草”" in response.content.decode()  # a second click: refused, not frozen twice
    page = client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert plan.objects_sha256 in page and "公布种子来源" in page
    viewer = UserFactory(unit=s["unit"], role=UserRole.VIEWER, username="viewer")
    client.force_login(viewer)
    assert client.post(url, {"version": plan.version}).status_code == 403


ID_NUMBER = "330102199001011234"
PHONE = "13812345678"


def test_published_results_are_public_with_no_personal_data(setting, client):
    s = setting
    # personal data planted in the 名录: a natural person, and an ID and a phone in names and notes
    InspectionObject.objects.filter(unit__isnull=False).update(
        note=f"负责人身份证{ID_NUMBER}，电话{PHONE}",
        name=f"长冈商店（联系电话{PHONE}）",
    )
    InspectionObject.objects.filter(credit_code__in=[f"91330102MA{i:08d}" for i in range(0, 30, 2)]).update(
        kind=ObjectKind.PERSON, name="张三丰"
    )
    plan = drawn_plan(s)
    codes = list(plan.drawn.values_list("credit_code", flat=True))
    kinds = dict(plan.drawn.values_list("credit_code", "kind"))
    assert set(kinds.values()) == {ObjectKind.PERSON, ObjectKind.ENTERPRISE}  # both kinds drawn
    page_url = reverse("inspections:plan_public", args=[plan.pk])
    said = {  # a clerk naming the person, with their ID number, in the result
        code: f"发现问题，当事人{'张三丰' if kind == ObjectKind.PERSON else '本单位'}（{ID_NUMBER}）已签字"
        for code, kind in kinds.items()
    }
    plan = services.record_results(
        plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, on=DAY + timedelta(days=10),
        results=said,
        handling=dict.fromkeys(codes, f"责令限期整改，联系电话{PHONE}"),
    )  # fmt: skip
    page = client.get(page_url).content.decode()
    assert "发现问题" not in page and "责令限期整改" not in page  # recorded, not yet published
    assert client.get(reverse("inspections:public_list")).content.decode().count(plan.title) == 0
    services.publish(
        plan, actor=s["first"], scope_ids=s["scope"], version=plan.version, on=DAY + timedelta(days=12)
    )
    response = client.get(page_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "发现问题，当事人张*（" in page and "责令限期整改" in page
    assert ID_NUMBER not in page and PHONE not in page and "张三丰" not in page
    assert all(code in page for code in codes)
    assert "<td>张*</td>" in page and "长冈商店（联系电话***********）" in page
    listing = client.get(reverse("inspections:public_list"))
    assert listing.status_code == 200 and plan.title in listing.content.decode()
    assert ID_NUMBER not in listing.content.decode()


def test_the_public_list_filters_by_unit_and_year_and_pages(setting, client, county):
    s = setting
    plan = drawn_plan(s)
    codes = list(plan.drawn.values_list("credit_code", flat=True))
    common = dict(actor=s["first"], scope_ids=s["scope"])
    results = dict.fromkeys(codes, "未发现问题")
    plan = services.record_results(
        plan, version=plan.version, on=DAY + timedelta(days=5), results=results, **common
    )
    services.publish(plan, version=plan.version, on=DAY + timedelta(days=6), **common)
    unpublished = new_plan(s, title="尚未公示的抽查")
    url = reverse("inspections:public_list")
    page = client.get(url).content.decode()
    assert plan.title in page and unpublished.title not in page
    assert plan.title in client.get(url, {"year": "2025", "unit": s["unit"].pk}).content.decode()
    assert plan.title not in client.get(url, {"year": "2024"}).content.decode()
    assert plan.title not in client.get(url, {"unit": county["hekou"].pk}).content.decode()
    assert plan.title in client.get(url, {"unit": county["county"].pk}).content.decode()  # and below
    odd = client.get(url, {"unit": "x", "year": "20255", "page": "99"})
    assert odd.status_code == 200 and plan.title in odd.content.decode()


def test_a_natural_person_is_not_listed_under_an_id_number(county):
    from fazhi.org.masking import id_number_check_code

    number = "33010219900101123" + id_number_check_code("33010219900101123")
    person = InspectionObject(
        unit=county["changgang"], status="listed", name="张三丰", kind=ObjectKind.PERSON, credit_code=number,
        industry="餐饮服务", region="长冈乡", risk="A", listed_on=DAY,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="自然人不能以身份证号码登记"):
        person.full_clean()
    person.kind = ObjectKind.INDIVIDUAL
    person.full_clean()  # an 18-digit code is not refused as such


def test_a_large_pool_is_frozen_and_drawn_by_the_worker(setting, client, monkeypatch,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    from fazhi.inspections import tasks
    from fazhi.jobs.models import Job, JobState
    from fazhi.jobs.testing import run_queued_tasks

    s = setting
    monkeypatch.setattr(tasks, "INLINE_OBJECTS", 10)  # 30 objects: "large"
    plan = new_plan(s)
    client.force_login(s["first"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inspections:plan_step", args=[plan.pk, "freeze"]), {"version": plan.version, "on": DAY}
        )
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    run_queued_tasks()
    job.refresh_from_db()
    plan.refresh_from_db()
    assert (
        job.state == JobState.DONE and plan.status == PlanStatus.FROZEN and plan.objects_sha256 in job.message
    )
    common = dict(scope_ids=s["scope"])
    source = "双色球第2025030期"
    plan = services.announce_seed_source(
        plan, actor=s["first"], version=plan.version, on=DAY, source=source, **common
    )
    plan = services.enter_seed(plan, actor=s["first"], version=plan.version, value="9", **common)
    plan = services.enter_seed(plan, actor=s["second"], version=plan.version, value="9", **common)
    url = reverse("inspections:plan_step", args=[plan.pk, "draw"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"version": plan.version - 1, "on": DAY})  # a stale page: the job fails
    run_queued_tasks()
    failed = Job.objects.latest("pk")
    assert failed.state == JobState.FAILED and "已被他人修改" in failed.error
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"version": plan.version, "on": DAY})
    run_queued_tasks()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN and plan.drawn.count() == 6
    assert Job.objects.latest("pk").message == "已抽取6户检查对象。"
