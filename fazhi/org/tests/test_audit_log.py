"""The audit log (issue 11 §4): every change of every audited record in the viewer's scope, in Chinese and
local time, with filters and pages whose cost does not grow with the history."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core import audit_log
from fazhi.decisions.models import LegalityReview, ReviewPoint
from fazhi.decisions.registers import LEGALITY_REVIEWS
from fazhi.decisions.tests.factories import LegalityReviewFactory
from fazhi.indicators import services as indicator_services
from fazhi.org.masking import id_number_check_code
from fazhi.org.models import Person, UserRole
from fazhi.org.scope import Scope
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import PersonFactory, UserFactory
from fazhi.registers import services as register_services
from fazhi.registers.spec import REGISTRY
from fazhi.reports import annual, builder
from fazhi.rules import services as rule_services
from fazhi.rules.models import RuleOverride
from fazhi.workdays.models import WorkdaySchedule

pytestmark = pytest.mark.django_db
URL = reverse("org:audit_log")
SUBMIT_RULE = "annual_report.department_submit"  # 县直部门报送年度报告的日期（每年…之前）


def _text(response) -> str:
    """What a reader sees of the page: tags gone, entities decoded, spaces collapsed."""
    assert response.status_code == 200, response.content.decode()[:2000]
    shown = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(shown))


def _rows(response) -> list[str]:
    """The log's table rows as a reader sees them."""
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))).strip()
        for row in body.split("</tr>")[:-1]
    ]


@pytest.fixture
def admins(county):
    return {
        "county": UserFactory(
            unit=county["county"], role=UserRole.UNIT_ADMIN, last_name="周", first_name="依法"
        ),
        "changgang": UserFactory(
            unit=county["changgang"],
            role=UserRole.UNIT_ADMIN,
            last_name="陈",
            first_name="长冈",
            username="cg",
        ),
        "hekou": UserFactory(
            unit=county["hekou"], role=UserRole.UNIT_ADMIN, last_name="何", first_name="河口"
        ),
    }


@pytest.fixture
def clerk(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, last_name="王", first_name="芳")


def _review(county, clerk, **values):
    return LegalityReviewFactory(unit=county["changgang_office"], actor=clerk, **values)


def _retitle(review, clerk, title):
    review.title = title
    return register_services.item_update(
        LEGALITY_REVIEWS, review, actor=clerk, scope_ids=subtree_ids(clerk.unit), read_version=review.version
    )


def test_changes_of_every_kind_appear_in_chinese_with_local_time(client, county, admins, clerk):
    review = _review(county, clerk, title="关于秸秆禁烧的实施意见（送审稿）")
    _retitle(review, clerk, "关于秸秆禁烧的实施意见（修改稿）")
    created, edited = review.history.order_by("history_date", "history_id")
    created.history_date = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    created.save()
    edited.history_date = datetime(2026, 12, 1, 9, 21, 25, tzinfo=UTC)  # 17:21 in 北京时间
    edited.save()
    override = RuleOverride(
        rule_code=SUBMIT_RULE,
        unit=county["changgang"],
        value="02-20",
        source="长冈乡规定",
        valid_from=date(2024, 1, 1),
    )
    rule_services.override_save(
        actor=admins["changgang"], override=override, unit_ids=subtree_ids(county["changgang"])
    )
    override.value = "02-25"
    rule_services.override_save(
        actor=admins["changgang"], override=override, unit_ids=subtree_ids(county["changgang"])
    )
    for value in ("12", "15"):
        indicator_services.manual_value_save(
            actor=clerk, unit=county["changgang"], year=2024, indicator="publicity_events",
            value=Decimal(value), scope_ids=subtree_ids(county["changgang"]),
        )  # fmt: skip
    report = builder.draft_report(
        county["changgang"], 2024, actor=clerk, unit_ids=subtree_ids(county["changgang"])
    )
    part = report.parts.order_by("order").first()
    annual.save_text(
        report, {part.part: (part.heading, "全年专题研究法治政府建设工作3次。")}, actor=clerk,
        scope_ids=subtree_ids(county["changgang"]),
    )  # fmt: skip
    client.force_login(clerk)  # a login: the user saved with only last_login

    client.force_login(admins["changgang"])
    response = client.get(URL)
    page = _text(response)
    rows = _rows(response)
    assert "as of" not in page and "+00:00" not in page
    # the register item: its kind, its title linked to its page, the field by its Chinese name
    edit = next(r for r in rows if "修改稿" in r and "送审事项" in r)
    assert edit.startswith("2026年12月1日 17:21 王芳 修改 合法性审查")
    assert "送审事项： 关于秸秆禁烧的实施意见（送审稿） → 关于秸秆禁烧的实施意见（修改稿）" in edit
    detail = reverse("registers:detail", args=["legality-reviews", review.pk])
    assert f'href="{detail}"' in response.content.decode()
    # the rule override by the rule's Chinese name, not its code
    rule = next(r for r in rows if "地方规则调整" in r and " 修改 " in r)
    assert "取值： 02-20 → 02-25" in rule and "陈长冈" in rule
    assert SUBMIT_RULE not in page
    # the hand-entered figure by the indicator's name
    figure = next(r for r in rows if "指标填报值" in r and " 修改 " in r)
    assert (
        "普法宣传活动场次（2024年）" in figure
        and "数值： 12.00 → 15.00" in figure
        and "publicity_events" not in figure
    )
    # the annual report's part text
    text = next(r for r in rows if "报告部分" in r and " 修改 " in r)
    assert (
        "正文： （空） → 全年专题研究法治政府建设工作3次。" in text and "最后修改人： （空） → 王芳" in text
    )
    assert (
        f'href="{reverse("registers:detail", args=["annual-reports", report.pk])}"'
        in response.content.decode()
    )
    # the login, by the user who logged in
    login = next(r for r in rows if "王芳 登录" in r)
    assert "王芳 登录 用户 王芳（user" in login and "登录系统" in login
    assert "修改 王芳" not in page


def test_login_and_password_change_are_named_on_the_users_own_trail_too(client, county, admins, clerk):
    client.force_login(clerk)
    from fazhi.accounts.services import password_change

    password_change(clerk, "Another-long-pass-7")
    client.force_login(admins["changgang"])
    page = _text(client.get(reverse("org:user_detail", args=[clerk.pk])))
    assert "王芳 登录" in page and "王芳 修改密码" in page
    rows = _rows(client.get(URL))
    assert any("王芳 修改密码 用户" in r for r in rows)


def test_a_township_does_not_see_another_townships_changes(client, county, admins, clerk):
    review = _review(county, clerk, title="关于集贸市场改造的实施意见（送审稿）")
    hekou_clerk = UserFactory(unit=county["hekou"], role=UserRole.OPERATOR, last_name="赵", first_name="河")
    hekou_review = LegalityReviewFactory(
        unit=county["hekou"], actor=hekou_clerk, title="关于河道采砂管理的实施意见（送审稿）"
    )
    PersonFactory(unit=county["hekou_village"], name="河口村调解员")
    WorkdaySchedule.objects.create(year=2030, source="国务院办公厅通知", holidays=["2030-01-01"])
    client.force_login(admins["hekou"])
    page = _text(client.get(URL))
    assert hekou_review.title in page and "河口村调解员" in page
    assert review.title not in page and "王芳" not in page
    client.force_login(admins["changgang"])
    page = _text(client.get(URL))
    assert review.title in page
    assert hekou_review.title not in page and "河口村调解员" not in page and "赵河" not in page
    assert "2030年节假日安排" not in page
    # the county sees both, and may narrow to one township (with its subordinates)
    client.force_login(admins["county"])
    page = _text(client.get(URL))
    assert review.title in page and hekou_review.title in page
    assert "2030年节假日安排" in page  # the whole system's records: for those who see every unit
    page = _text(client.get(URL, {"unit": county["hekou"].pk}))
    assert hekou_review.title in page and "河口村调解员" in page and review.title not in page
    # a unit outside the township's scope is refused in Chinese, not obeyed
    client.force_login(admins["changgang"])
    page = _text(client.get(URL, {"unit": county["hekou"].pk}))
    assert "所选单位不在您可查看的范围内" in page and hekou_review.title not in page


def test_rows_without_a_unit_of_their_own_belong_to_their_items_unit(
    client, county, admins, clerk, settings, tmp_path
):
    """A 审查意见要点 and an attachment have no unit: they belong to their review's, even once deleted."""
    settings.MEDIA_ROOT = tmp_path
    review = _review(county, clerk, title="关于光伏项目招商的实施意见（送审稿）")
    point = ReviewPoint.objects.create(review=review, clause="第三条", problem="超越法定权限设定审批")
    scope = subtree_ids(county["changgang"])
    register_services.attach(
        LEGALITY_REVIEWS, review, name="送审稿.pdf", data=b"%PDF-1.4 test", actor=clerk, scope_ids=scope
    )
    point.delete()
    client.force_login(admins["changgang"])
    response = client.get(URL, {"kind": "register"})
    rows = _rows(response)
    detail = reverse("registers:detail", args=["legality-reviews", review.pk])
    assert any("王芳 新建 附件 送审稿.pdf 长冈乡司法所" in r for r in rows)
    assert any(" 删除 审查意见要点 第三条：超越法定权限设定审批 长冈乡司法所" in r for r in rows)
    assert response.content.decode().count(f'href="{detail}"') >= 3  # the review, its point, its file
    client.force_login(admins["hekou"])
    page = _text(client.get(URL))
    assert "送审稿.pdf" not in page and "第三条" not in page


def test_every_model_with_history_is_in_the_log():
    """Found in simple-history's registry, each under its kind."""
    kinds = {s.model._meta.label: s.kind for s in audit_log.sources()}
    assert {
        "org.Unit": "org", "org.Person": "org", "org.User": "org",
        "decisions.LegalityReview": "register", "decisions.ReviewPoint": "register",
        "decisions.MajorDecision": "register", "registers.Attachment": "register",
        "reports.AnnualReport": "report", "reports.ReportPart": "report",
        "rules.RuleOverride": "rule", "workdays.WorkdaySchedule": "schedule",
        "indicators.ManualValue": "figure", "jobs.Job": "job",
    }.items() <= kinds.items()  # fmt: skip
    for spec in REGISTRY.values():
        assert spec.model._meta.label in kinds
        assert all(child.model._meta.label in kinds for child in spec.children)


def test_filters_by_user_kind_and_dates(client, county, admins, clerk):
    review = _review(county, clerk, title="关于殡葬改革的实施意见（送审稿）")
    created = review.history.earliest("history_date")
    created.history_date = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)  # 2024年3月1日 10:00 北京时间
    created.save()
    PersonFactory(unit=county["hefu"], name="合富村调解员")
    client.force_login(admins["changgang"])
    # by user: only what 王芳 did
    page = _text(client.get(URL, {"user": clerk.pk}))
    assert review.title in page and "合富村调解员" not in page
    # by kind
    page = _text(client.get(URL, {"kind": "org"}))
    assert "合富村调解员" in page and review.title not in page
    page = _text(client.get(URL, {"kind": "register"}))
    assert review.title in page and "合富村调解员" not in page
    page = _text(client.get(URL, {"kind": "login"}))
    assert "陈长冈 登录" in page and review.title not in page
    # by date: the day in local time, both ends included
    page = _text(client.get(URL, {"date_from": "2024-03-01", "date_to": "2024-03-01"}))
    assert "2024年3月1日 10:00" in page and "合富村调解员" not in page
    page = _text(client.get(URL, {"date_to": "2024-02-29"}))
    assert review.title not in page and "没有符合条件的记录" in page
    page = _text(client.get(URL, {"date_from": "2024-03-02", "date_to": "2024-03-01"}))
    assert "截止日期不能早于起始日期" in page


@pytest.mark.parametrize(
    "query",
    [
        {
            "unit": "abc",
            "user": "-1",
            "kind": "月",
            "date_from": "2024-02-30",
            "date_to": "abc",
            "page": "abc",
        },
        {"unit": "99999999999999999999", "user": "99999999999999999999", "page": "99999999999999999999"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31", "page": "-1"},
        {"kind": "<script>", "user": "", "unit": ""},
    ],
)
def test_odd_filter_values_are_reported_in_chinese_and_ignored(client, county, admins, clerk, query):
    _review(county, clerk, title="关于学校周边交通的实施意见（送审稿）")
    client.force_login(admins["changgang"])
    page = _text(client.get(URL, query))
    assert "关于学校周边交通的实施意见（送审稿）" in page  # the other filters still apply
    if any(query.values()) and query != {"kind": "<script>", "user": "", "unit": ""}:
        assert "筛选条件有误" in page


def test_personal_data_stays_masked_in_the_log(client, county, admins):
    person = PersonFactory(unit=county["hefu"], id_number="41042319900101007X", phone="13812345678")
    person.id_number = "11010119900307123" + id_number_check_code("11010119900307123")
    person.save()
    client.force_login(admins["changgang"])
    page = _text(client.get(URL))
    assert "身份证号： 4104**********007X → 1101**********" in page
    assert "41042319900101007X" not in page and "13812345678" not in page
    assert "110101199003071" not in page
    allowed = UserFactory(unit=county["changgang"], role=UserRole.UNIT_ADMIN, may_view_personal_data=True)
    client.force_login(allowed)
    page = _text(client.get(URL))
    assert "41042319900101007X → " + person.id_number in page


def test_only_managers_see_the_log(client, clerk):
    client.force_login(clerk)
    assert client.get(URL).status_code == 403


def test_a_manager_of_no_unit_sees_an_empty_log(client, county, clerk):
    _review(county, clerk, title="关于河道采砂管理的实施意见（送审稿）")
    client.force_login(UserFactory(unit=None, role=UserRole.UNIT_ADMIN))
    page = _text(client.get(URL, {"kind": "register", "page": "2"}))
    assert "没有符合条件的记录" in page and "共 0 条" in page


def test_deleted_records_are_logged_without_a_dead_link(client, county, admins):
    override = RuleOverride(
        rule_code=SUBMIT_RULE,
        unit=county["changgang"],
        value="02-20",
        source="长冈乡规定",
        valid_from=date(2024, 1, 1),
    )
    scope = subtree_ids(county["changgang"])
    rule_services.override_save(actor=admins["changgang"], override=override, unit_ids=scope)
    rule_services.override_delete(actor=admins["changgang"], override=override, unit_ids=scope)
    person = PersonFactory(unit=county["hefu"], name="离任调解员")
    person_url = reverse("org:person_detail", args=[person.pk])
    person.delete()
    client.force_login(admins["changgang"])
    response = client.get(URL)
    rows = _rows(response)
    assert any(" 删除 地方规则调整 " in r and "删除记录" in r for r in rows)
    assert any(" 删除 人员 离任调解员" in r for r in rows)
    assert person_url not in response.content.decode()


def _page_queries(client, query=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, query or {}).status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_however_long_the_history(client, county, admins, clerk):
    """Both the count and the page are cut by the database; the page reads each table on it once."""

    def grow(n: int) -> None:
        for i in range(n):
            review = _review(county, clerk, title=f"关于农村建房管理的实施意见（第{i}稿）")
            review = _retitle(review, clerk, f"关于农村建房管理的实施意见（第{i}次修改）")
            PersonFactory(unit=county["hefu"], name=f"调解员{i}").delete()
            indicator_services.manual_value_save(
                actor=clerk, unit=county["changgang"], year=2000 + i, indicator="publicity_events",
                value=Decimal(i), scope_ids=subtree_ids(county["changgang"]),
            )  # fmt: skip

    grow(3)
    client.force_login(admins["changgang"])
    _page_queries(client)  # content types and the like, read once per process
    small = _page_queries(client), _page_queries(client, {"page": "2"})
    grow(40)
    assert (
        audit_log.changes(Scope(admins["changgang"]), viewer=admins["changgang"]).count()
        > 3 * audit_log.PAGE_SIZE
    )
    large = _page_queries(client), _page_queries(client, {"page": "2"})
    assert large[0] <= small[0] + 2 and large[1] <= small[0] + 2, (
        small,
        large,
    )  # +2: more tables on a full page
    assert max(large) < 40
    assert LegalityReview.objects.count() > audit_log.PAGE_SIZE / 2


def test_the_log_reads_history_by_page_not_whole_tables(client, county, admins, clerk):
    for i in range(audit_log.PAGE_SIZE + 5):
        Person.objects.create(unit=county["hefu"], name=f"人员{i}")
    client.force_login(admins["changgang"])
    response = client.get(URL)
    assert len(_rows(response)) == audit_log.PAGE_SIZE
    assert "第 1 / 2 页" in _text(response)
    response = client.get(URL, {"page": "2"})
    assert len(_rows(response)) >= 5
