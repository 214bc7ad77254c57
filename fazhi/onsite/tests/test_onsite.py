"""扫码入检 and 企业安静期: the QR token, the scan page (login, then back to it), the certificate and scope
rules, the quiet-period flag, one visit per officer per minute, the scoped lists and the printable code."""

from __future__ import annotations

import io
import re
import threading
import time
from datetime import date, datetime, timedelta

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.enforcement.models import Certificate
from fazhi.enforcement.tests.factories import certified_officer
from fazhi.inspections.models import DrawnObject, InspectionObject, InspectionPlan, ObjectKind, PlanStatus
from fazhi.onsite import selectors, services
from fazhi.onsite.models import EnterpriseCode, QuietPeriod, Visit, VisitReason
from fazhi.org.models import Person, Unit, UnitLevel, UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = date(2025, 3, 10)  # inside 每月1日至20日
LATE = date(2025, 3, 25)  # outside it


def at(day: date, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute, second))


@pytest.fixture
def world(county):
    root = county["county"]
    market = UnitFactory(code="C-D2", name="青山县市场监督管理局", level=UnitLevel.DEPARTMENT, parent=root)
    other_county = UnitFactory(code="X", name="邻县", level=UnitLevel.COUNTY)
    other_dept = UnitFactory(
        code="X-D1", name="邻县市场监督管理局", level=UnitLevel.DEPARTMENT, parent=other_county
    )

    def enterprise(unit, n, kind=ObjectKind.ENTERPRISE):
        return InspectionObject.objects.create(
            unit=unit, status="listed", name=f"长冈第{n}号商店", kind=kind, credit_code=f"91330102MA{n:08d}",
            industry="餐饮服务", region="长冈乡", risk="B", listed_on=date(2024, 1, 1),
        )  # fmt: skip

    officers = [certified_officer(market, DAY) for _ in range(3)]
    user = UserFactory(unit=market, role=UserRole.OPERATOR, username="scjg1", person=officers[0])
    admin = UserFactory(unit=root, role=UserRole.UNIT_ADMIN, username="county-admin")
    return {
        "county": county,
        "root": root,
        "market": market,
        "other_dept": other_dept,
        "shop": enterprise(county["changgang_office"], 1),
        "shop2": enterprise(county["changgang_office"], 2),
        "hekou_shop": enterprise(county["hekou_village"], 3),
        "officers": officers,
        "user": user,
        "admin": admin,
    }


def visit(w, enterprise=None, *, when=None, reason=VisitReason.COMPLAINT, officers=None, **kwargs):
    officers = officers or w["officers"][:2]
    return services.record_visit(
        enterprise or w["shop"], actor=w["admin"], officer=officers[0], co_officers=officers[1:],
        reason=reason, at=when or at(DAY), **kwargs,
    )  # fmt: skip


def quiet(w, *, unit=None, all_enterprises=True, listed=(), allowed=None, title="2025年企业安静期"):
    period = QuietPeriod(
        unit=unit or w["root"], title=title, valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31),
        first_day=1, last_day=20, all_enterprises=all_enterprises,
        allowed_reasons=allowed if allowed is not None else ["random", "complaint", "assigned", "major_risk"],
    )  # fmt: skip
    return services.save_quiet_period(
        period, actor=w["admin"], scope_ids=subtree_ids(w["root"]), enterprises=listed
    )


# ------------------------------------------------------------------ 统一赋码


def test_tokens_are_random_stable_and_not_the_id(world):
    first = services.code_for(world["shop"])
    assert services.code_for(world["shop"]).token == first.token  # reprinting gives the same code
    second = services.code_for(world["shop2"])
    assert first.token != second.token
    assert len(first.token) >= 32 and str(world["shop"].pk) != first.token
    codes = services.ensure_codes(InspectionObject.objects.all())
    assert codes[world["shop"].pk].token == first.token and len(codes) == 3
    assert EnterpriseCode.objects.count() == 3
    assert first.history.count() == 1  # audited


def test_a_wrong_or_forged_token_is_404_not_500(world, client):
    client.force_login(world["user"])
    token = services.code_for(world["shop"]).token
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in [forged, str(world["shop"].pk), "x" * 500, "..", "'or'1'='1", token.lower()]:
        response = client.get(f"/onsite/s/{bad}/")
        assert response.status_code == 404, bad
    assert client.get("/onsite/s/%00/").status_code == 400  # refused before any view (NUL)
    assert client.post(f"/onsite/s/{forged}/", {"reason": "complaint"}).status_code == 404
    assert not Visit.objects.exists()


def test_scanning_asks_to_log_in_and_returns_to_the_scan_page(world, client):
    url = reverse("onsite:scan", args=[services.code_for(world["shop"]).token])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]
    response = client.post(reverse("login"), {"username": "scjg1", "password": "pass-word-123", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200 and "长冈第1号商店" in page.content.decode()


def test_an_officer_logs_a_visit_on_the_scan_page(world, client):
    client.force_login(world["user"])
    url = reverse("onsite:scan", args=[services.code_for(world["shop"]).token])
    page = client.get(url).content.decode()
    colleague = world["officers"][1]
    assert colleague.name in page and "Content-Security-Policy" in client.get(url).headers
    response = client.post(url, {"reason": "complaint", "co_officers": [colleague.pk], "note": "核查投诉"})
    assert response.status_code == 302
    recorded = Visit.objects.get()
    assert recorded.officer == world["officers"][0] and list(recorded.co_officers.all()) == [colleague]
    assert recorded.recorded_by == world["user"] and recorded.unit == world["market"]
    assert abs((recorded.visited_at - timezone.now()).total_seconds()) < 60  # server time
    assert recorded.history.exists()
    # the resent form (a double tap) within the minute is the same visit
    client.post(url, {"reason": "complaint", "co_officers": [colleague.pk]})
    assert Visit.objects.count() == 1


def test_the_scan_page_refuses_bad_input_in_chinese_and_writes_nothing(world, client):
    client.force_login(world["user"])
    url = reverse("onsite:scan", args=[services.code_for(world["shop"]).token])
    alone = client.post(url, {"reason": "complaint"}).content.decode()
    assert "执法人员不得少于2人" in alone
    other = client.post(url, {"reason": "other", "co_officers": [world["officers"][1].pk]}).content.decode()
    assert "事由说明" in other
    tampered = client.post(url, {"reason": "complaint", "co_officers": ["999999"]}).content.decode()
    assert "同行执法人员不在可选范围内" in tampered
    assert client.post(url, {"reason": "nonsense"}).status_code == 200
    assert not Visit.objects.exists()


# ------------------------------------------------------------------ certificates and scope


def test_every_officer_must_hold_a_valid_certificate_on_the_day(world):
    expired = certified_officer(world["market"], DAY, expires=DAY - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        visit(world, officers=[world["officers"][0], expired])
    assert f"{expired.name}" in str(exc.value) and "无有效执法证" in str(exc.value)
    with pytest.raises(ValidationError, match="不得少于2人"):
        visit(world, officers=[world["officers"][0]])
    assert not Visit.objects.exists()
    created, new = visit(world)
    assert new and created.co_officers.count() == 1


def test_the_officers_unit_must_see_the_enterprise_or_be_a_county_enforcement_department(world):
    hekou = world["county"]["hekou"]
    township_officers = [certified_officer(hekou, DAY) for _ in range(2)]
    with pytest.raises(ValidationError, match="无权对长冈第1号商店"):
        visit(world, officers=township_officers)
    visit(world, world["hekou_shop"], officers=township_officers)  # its own township's enterprise
    neighbours = [certified_officer(world["other_dept"], DAY) for _ in range(2)]
    with pytest.raises(PermissionDenied):  # the recorder cannot see the other county at all
        visit(world, officers=neighbours)
    assert not selectors.may_inspect(world["other_dept"], world["shop"])
    assert selectors.may_inspect(world["market"], world["shop"])  # a department of the county


def test_a_random_check_names_a_plan_that_drew_the_enterprise(world):
    plan = InspectionPlan.objects.create(
        unit=world["market"], title="食品经营抽查", year=2025, count=1, drafted_on=date(2025, 2, 1),
        status=PlanStatus.DRAWN, created_by=world["admin"],
    )  # fmt: skip
    DrawnObject.objects.create(
        plan=plan, position=1, credit_code=world["shop"].credit_code, digest="0" * 64, inspectors="a"
    )
    with pytest.raises(ValidationError, match="须选择抽中该企业的抽查计划"):
        visit(world, reason=VisitReason.RANDOM)
    with pytest.raises(ValidationError, match="未抽中长冈第2号商店"):
        visit(world, world["shop2"], reason=VisitReason.RANDOM, plan=plan)
    with pytest.raises(ValidationError, match="只有双随机抽查"):
        visit(world, reason=VisitReason.COMPLAINT, plan=plan)
    recorded, _ = visit(world, reason=VisitReason.RANDOM, plan=plan)
    assert recorded.plan == plan
    assert list(selectors.plans_for(world["shop"])) == [plan]


# ------------------------------------------------------------------ 企业安静期


def test_a_visit_in_a_quiet_period_without_an_allowed_reason_is_flagged(world):
    period = quiet(world)
    special, _ = visit(world, reason=VisitReason.SPECIAL, when=at(DAY))
    assert special.flagged and special.quiet_period == period
    allowed, _ = visit(world, reason=VisitReason.COMPLAINT, when=at(DAY, 15))
    assert not allowed.flagged and allowed.quiet_period == period
    outside, _ = visit(world, reason=VisitReason.SPECIAL, when=at(LATE))
    assert not outside.flagged and outside.quiet_period is None
    before, _ = visit(world, reason=VisitReason.SPECIAL, when=at(date(2024, 12, 5)))
    assert not before.flagged  # before the period was in force
    assert selectors.flagged_count(subtree_ids(world["root"]), date(2025, 1, 1), date(2025, 12, 31)) == 1
    assert selectors.flagged_count(None, date(2025, 1, 1), date(2025, 12, 31)) == 1  # every unit


def test_the_dashboard_points_the_justice_bureau_to_flagged_visits(world, client):
    quiet(world)
    visit(world, reason=VisitReason.SPECIAL, when=at(DAY))
    visit(world, reason=VisitReason.COMPLAINT, when=at(DAY, 15))
    client.force_login(world["admin"])
    page = client.get(reverse("home"), {"year": 2025}).content.decode()
    assert (
        "安静期违规入企（2025年）" in page
        and "start=2025-01-01&amp;end=2025-12-31" in page
        and ">1次<" in page
    )
    assert "安静期违规入企（2024年）" not in client.get(reverse("home"), {"year": 2024}).content.decode()
    client.force_login(UserFactory(unit=world["other_dept"], username="neighbour"))
    assert "安静期违规入企（2025年）" not in client.get(reverse("home"), {"year": 2025}).content.decode()


def test_a_period_for_listed_enterprises_flags_only_them(world):
    quiet(world, all_enterprises=False, listed=[world["shop2"]], allowed=[])
    listed, _ = visit(world, world["shop2"], reason=VisitReason.COMPLAINT)
    unlisted, _ = visit(world, world["shop"], reason=VisitReason.COMPLAINT)
    assert listed.flagged and not unlisted.flagged


def test_a_townships_period_covers_only_its_area(world):
    quiet(world, unit=world["county"]["hekou"], allowed=[])
    assert not visit(world, world["shop"], reason=VisitReason.SPECIAL)[0].flagged
    assert visit(world, world["hekou_shop"], reason=VisitReason.SPECIAL)[0].flagged


def test_quiet_periods_are_checked_and_declared_by_administrators_only(world):
    with pytest.raises(ValidationError) as exc:
        quiet(world, all_enterprises=False)
    assert "须列出适用的企业" in str(exc.value)
    neighbour = InspectionObject.objects.create(
        unit=world["other_dept"], status="listed", name="邻县商店", kind=ObjectKind.ENTERPRISE,
        credit_code="91330102MB00000001", industry="餐饮服务", region="邻县", risk="B", listed_on=DAY,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="不是青山县辖区的企业"):
        quiet(world, all_enterprises=False, listed=[neighbour])
    bad_days = QuietPeriod(
        unit=world["root"], title="坏", valid_from=DAY, valid_to=DAY - timedelta(days=1), first_day=20,
        last_day=5, allowed_reasons=["bogus"],
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.save_quiet_period(bad_days, actor=world["admin"], scope_ids=subtree_ids(world["root"]))
    text = str(exc.value)
    assert "截止日期不能早于起始日期" in text and "每月截止日不能早于每月起始日" in text
    with pytest.raises(PermissionDenied):
        services.save_quiet_period(
            QuietPeriod(unit=world["market"], title="x", valid_from=DAY, valid_to=DAY, first_day=1,
                        last_day=2),
            actor=world["user"], scope_ids=subtree_ids(world["market"]),
        )  # fmt: skip
    assert not QuietPeriod.objects.exists()


def test_quiet_period_pages(world, client):
    client.force_login(world["admin"])
    data = {
        "unit": world["root"].pk, "title": "2025年企业安静期", "basis": "青政办〔2025〕1号",
        "valid_from": "2025-01-01", "valid_to": "2025-12-31", "first_day": 1, "last_day": 20,
        "all_enterprises": "", "allowed_reasons": ["random", "complaint"],
        "enterprise_codes": "91330102MA00000002",
    }  # fmt: skip
    response = client.post(reverse("onsite:quiet_list"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    period = QuietPeriod.objects.get()
    assert list(period.enterprises.all()) == [world["shop2"]] and period.allowed_reasons == [
        "random",
        "complaint",
    ]
    unknown = client.post(
        reverse("onsite:quiet_detail", args=[period.pk]), {**data, "enterprise_codes": "NOPE"}
    )
    assert "检查对象名录库中没有这些企业：NOPE" in unknown.content.decode()
    assert client.get(reverse("onsite:quiet_detail", args=[period.pk])).status_code == 200
    client.force_login(world["user"])
    assert client.post(reverse("onsite:quiet_list"), data).status_code == 403


# ------------------------------------------------------------------ one visit per officer per minute


def test_two_submissions_within_a_minute_are_one_visit(world):
    first, new = visit(world, when=at(DAY, 10, 0, 0))
    again, repeated = visit(world, when=at(DAY, 10, 0, 40), reason=VisitReason.SPECIAL)
    assert new and not repeated and again.pk == first.pk
    later, new_again = visit(world, when=at(DAY, 10, 2, 0))
    assert new_again and later.pk != first.pk
    _, new_other = visit(world, when=at(DAY, 10, 0, 10), officers=world["officers"][1:])
    assert new_other  # another officer's visit is another visit
    assert Visit.objects.count() == 3


# ------------------------------------------------------------------ 记录备查: scoped lists


def test_lists_are_scoped_to_the_viewers_units(world, client):
    quiet(world, allowed=[])
    visit(world, reason=VisitReason.SPECIAL)
    visit(world, world["hekou_shop"], reason=VisitReason.SPECIAL)
    changgang = UserFactory(unit=world["county"]["changgang"], role=UserRole.OPERATOR)
    hekou = UserFactory(unit=world["county"]["hekou"], role=UserRole.OPERATOR)
    query = {"start": "2025-01-01", "end": "2025-12-31"}
    client.force_login(changgang)
    body = client.get(reverse("onsite:flagged_list"), query).content.decode()
    assert "长冈第1号商店" in body and "长冈第3号商店" not in body
    month = client.get(reverse("onsite:visit_list"), {"month": "2025-03"}).content.decode()
    assert "长冈第1号商店" in month and "长冈第3号商店" not in month
    assert client.get(reverse("onsite:enterprise_detail", args=[world["shop"].pk])).status_code == 200
    assert client.get(reverse("onsite:enterprise_detail", args=[world["hekou_shop"].pk])).status_code == 403
    assert (
        client.get(reverse("onsite:flagged_list"), {**query, "unit": world["county"]["hekou"].pk}).status_code
        == 200
    )
    client.force_login(hekou)
    body = client.get(reverse("onsite:flagged_list"), query).content.decode()
    assert "长冈第1号商店" not in body and "长冈第3号商店" in body
    client.force_login(world["user"])  # the department sees the visits its officers made
    body = client.get(reverse("onsite:visit_list"), {"month": "2025-03"}).content.decode()
    assert "长冈第1号商店" in body and "长冈第3号商店" in body
    export = client.get(reverse("onsite:flagged_list"), {**query, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 3 and sheet["K2"].value == "是"


def test_bad_filter_values_are_chinese_messages(world, client):
    client.force_login(world["admin"])
    for name, params in [
        ("onsite:flagged_list", {"start": "abc", "end": "2025-01-01"}),
        ("onsite:flagged_list", {"start": "2025-02-01", "end": "2025-01-01", "unit": "abc"}),
        ("onsite:visit_list", {"month": "2025-13"}),
        ("onsite:repeats", {"year": "abc"}),
        ("onsite:enterprise_list", {"page": "-1", "q": "x" * 500}),
    ]:
        response = client.get(reverse(name), params)
        assert response.status_code == 200, (name, params)
    body = client.get(
        reverse("onsite:flagged_list"), {"start": "2025-02-01", "end": "2025-01-01"}
    ).content.decode()
    assert "截止日期不能早于起始日期" in body


def test_visits_per_enterprise_per_year_show_repeated_checks(world, client):
    for hour in (8, 9, 10):
        visit(world, when=at(DAY, hour))
    visit(world, world["shop2"])
    scope = subtree_ids(world["root"])
    rows = selectors.visits_per_enterprise(scope, 2025, more_than=2)
    assert [(r.enterprise, r.visits, r.units) for r in rows] == [(world["shop"], 3, 1)]
    assert selectors.repeat_limit(world["county"]["changgang"])[1] is None  # the default, no setting
    services.set_repeat_limit(world["root"], 2, actor=world["admin"], scope_ids=scope)
    assert selectors.repeat_limit(world["county"]["changgang"])[0] == 2
    with pytest.raises(ValidationError):
        services.set_repeat_limit(world["root"], 0, actor=world["admin"], scope_ids=scope)
    client.force_login(world["admin"])
    body = client.get(reverse("onsite:repeats"), {"year": 2025}).content.decode()
    assert "长冈第1号商店" in body and "长冈第2号商店" not in body
    assert client.post(reverse("onsite:repeats"), {"repeat_limit": "abc"}).status_code == 200
    client.force_login(world["user"])
    assert client.post(reverse("onsite:repeats"), {"repeat_limit": 5}).status_code == 403


# ------------------------------------------------------------------ the printable code


def svg_cells(svg: str) -> set[tuple[int, int]]:
    """The dark modules of a segno SVG path (absolute M, relative m, horizontal h runs)."""
    path = re.search(r'\sd="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            run = numbers[0] if command == "h" else numbers[0] - x
            dark |= {(int(y), int(x) + i) for i in range(int(run))}
            x += run
    return dark


def test_the_printed_sheet_holds_a_qr_code_of_the_scan_url(world, client):
    client.force_login(world["admin"])
    response = client.get(reverse("onsite:enterprise_sheet", args=[world["shop"].pk]))
    body = response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "执法人员入企检查前请扫码登记" in body and "91330102MA00000001" in body
    token = EnterpriseCode.objects.get(enterprise=world["shop"]).token
    url = "http://testserver" + reverse("onsite:scan", args=[token])
    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    expected = segno.make(url, error="m")
    border = 4
    cells = {
        (r + border, c + border) for r, row in enumerate(expected.matrix) for c, v in enumerate(row) if v
    }
    assert svg_cells(svg) == cells
    assert "data:" not in svg and not re.search(r"<script(?![^>]*\ssrc=)", body)  # nothing the CSP blocks


def test_the_batch_sheets_print_every_enterprise_of_the_unit(world, client):
    client.force_login(UserFactory(unit=world["county"]["changgang"], role=UserRole.OPERATOR))
    body = client.get(reverse("onsite:batch_sheets")).content.decode()
    assert body.count('class="qr-sheet"') == 2 and "长冈第3号商店" not in body
    assert EnterpriseCode.objects.count() == 2


def test_the_enterprise_page_keeps_every_visit_for_review(world, client):
    quiet(world)
    visit(world, reason=VisitReason.SPECIAL, note="专项检查消防通道")
    visit(world, when=at(LATE), reason=VisitReason.OTHER, reason_text="企业申请指导")
    client.force_login(world["admin"])
    url = reverse("onsite:enterprise_detail", args=[world["shop"].pk])
    body = client.get(url).content.decode()
    names = "、".join(p.name for p in world["officers"][:2])
    assert names in body and "2025年3月10日 10:00" in body and "专项检查消防通道" in body
    assert "其他：企业申请指导" in body and body.count("badge text-bg-danger") == 1  # one flagged
    assert "2025年 2次" in body
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert [c.value for c in sheet[1]][:3] == ["序号", "入企时间", "企业名称"] and sheet.max_row == 3


# ------------------------------------------------------------------ flags follow the quiet periods


def flags(*visits):
    """(flagged, quiet period id) of each visit as stored, in the order given."""
    stored = Visit.objects.in_bulk([v.pk for v in visits])
    return [(stored[v.pk].flagged, stored[v.pk].quiet_period_id) for v in visits]


def test_a_quiet_period_declared_after_the_visits_flags_them(world):
    scope = subtree_ids(world["root"])
    year = (date(2025, 1, 1), date(2025, 12, 31))
    special, _ = visit(world, reason=VisitReason.SPECIAL, when=at(DAY))
    allowed, _ = visit(world, reason=VisitReason.COMPLAINT, when=at(DAY, 15))
    outside, _ = visit(world, reason=VisitReason.SPECIAL, when=at(LATE))
    township, _ = visit(world, world["hekou_shop"], reason=VisitReason.SPECIAL, when=at(DAY, 16))
    assert selectors.flagged_count(scope, *year) == 0
    period = quiet(world)
    assert selectors.flagged_count(scope, *year) == 2  # the dashboard's count follows
    special.refresh_from_db()
    assert special.flagged and special.quiet_period == period
    assert flags(allowed, outside) == [(False, period.pk), (False, None)]
    entry = special.history.first()  # audited: who and why
    assert entry.history_user == world["admin"] and "2025年企业安静期" in entry.history_change_reason
    # the same flag as a visit logged now, with the period in force
    again, _ = visit(world, reason=VisitReason.SPECIAL, when=at(DAY, 17), officers=world["officers"][1:])
    assert (again.flagged, again.quiet_period_id) == (True, period.pk)
    assert township.pk in set(selectors.visits_covered(period).values_list("pk", flat=True))


def test_changing_a_quiet_period_moves_its_flags(world):
    scope, year = subtree_ids(world["root"]), (date(2025, 1, 1), date(2025, 12, 31))
    period = quiet(world)
    on_tenth, _ = visit(world, reason=VisitReason.SPECIAL, when=at(DAY))
    on_third, _ = visit(world, world["shop2"], reason=VisitReason.SPECIAL, when=at(date(2025, 3, 3)))
    assert selectors.flagged_count(scope, *year) == 2

    def edit(**values):
        fresh = QuietPeriod.objects.get(pk=period.pk)
        listed = values.pop("listed", ())
        for name, value in values.items():
            setattr(fresh, name, value)
        services.save_quiet_period(fresh, actor=world["admin"], scope_ids=scope, enterprises=listed)

    edit(last_day=5)  # 每月1日至5日: the 10th is no longer inside
    assert flags(on_tenth, on_third) == [(False, None), (True, period.pk)]
    assert selectors.flagged_count(scope, *year) == 1
    edit(last_day=20, allowed_reasons=[*period.allowed_reasons, VisitReason.SPECIAL])
    assert flags(on_tenth, on_third) == [(False, period.pk), (False, period.pk)]
    edit(allowed_reasons=[], all_enterprises=False, listed=[world["shop2"]])
    assert flags(on_tenth, on_third) == [(False, None), (True, period.pk)]
    assert selectors.flagged_count(scope, *year) == 1


def test_removing_a_quiet_period_unflags_its_visits_unless_another_covers_them(world, client):
    scope, year = subtree_ids(world["root"]), (date(2025, 1, 1), date(2025, 12, 31))
    county_wide = quiet(world, allowed=[])
    township = quiet(world, unit=world["county"]["changgang"], title="长冈乡安静期", allowed=[])
    shop, _ = visit(world, reason=VisitReason.SPECIAL, when=at(DAY))
    hekou, _ = visit(world, world["hekou_shop"], reason=VisitReason.SPECIAL, when=at(DAY))
    assert flags(shop, hekou) == [(True, county_wide.pk), (True, county_wide.pk)]
    with pytest.raises(PermissionDenied):
        services.delete_quiet_period(county_wide, actor=world["user"], scope_ids=subtree_ids(world["market"]))
    assert services.delete_quiet_period(county_wide, actor=world["admin"], scope_ids=scope) == 2
    assert flags(shop, hekou) == [(True, township.pk), (False, None)]  # 长冈乡's period still covers it
    assert selectors.flagged_count(scope, *year) == 1
    assert not QuietPeriod.objects.filter(pk=county_wide.pk).exists()
    assert (
        QuietPeriod.history.filter(id=county_wide.pk, history_type="-").get().history_user == world["admin"]
    )
    # the page: unit administrators only, after a confirmation
    url = reverse("onsite:quiet_delete", args=[township.pk])
    client.force_login(world["user"])
    assert client.post(url).status_code == 403
    client.force_login(world["admin"])
    detail = client.get(reverse("onsite:quiet_detail", args=[township.pk])).content.decode()
    assert url in detail and "data-confirm" in detail
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert flags(shop) == [(False, None)] and selectors.flagged_count(scope, *year) == 0


# ------------------------------------------------------------------ 联合检查: co-officers of other units


def test_the_units_that_may_inspect_are_read_at_once_as_may_inspect_reads_them(world):
    units = list(Unit.objects.all())
    for enterprise in (world["shop"], world["hekou_shop"]):
        eligible = selectors.inspecting_unit_ids(enterprise)
        assert {u.pk for u in units if selectors.may_inspect(u, enterprise)} == eligible
    assert world["market"].pk in eligible and world["other_dept"].pk not in eligible


@pytest.fixture
def joint(world):
    """Officers of other units: the county's 综合行政执法局 (with a phone and 身份证号 on file), 长冈乡
    (above the shop), 河口镇 (not), the other county's department, and a 综合执法局 officer no longer in
    post or without a certificate."""
    root = world["root"]
    law = UnitFactory(code="C-D3", name="青山县综合行政执法局", level=UnitLevel.DEPARTMENT, parent=root)
    colleague = certified_officer(law, DAY)
    colleague.name, colleague.phone, colleague.id_number = "欧阳联检", "13812345678", "11010519491231002X"
    colleague.save()
    retired = certified_officer(law, DAY)
    retired.name, retired.is_active = "欧阳退休", False
    retired.save()
    uncertified = Person.objects.create(unit=law, name="欧阳无证")
    named = {}
    for key, unit in (("township", world["county"]["changgang"]), ("hekou", world["county"]["hekou"]),
                      ("neighbour", world["other_dept"])):  # fmt: skip
        named[key] = certified_officer(unit, DAY)
        named[key].name = f"欧阳{unit.name}"
        named[key].save()
    return {"law": colleague, "retired": retired, "uncertified": uncertified, **named}


def test_eligible_officers_are_what_the_service_accepts(world, joint):
    eligible = set(selectors.eligible_officers(world["shop"], DAY))
    officer = world["officers"][0]
    assert {joint["law"], joint["township"], *world["officers"]} <= eligible
    assert not eligible & {joint["retired"], joint["uncertified"], joint["hekou"], joint["neighbour"]}
    for n, person in enumerate(sorted(eligible - {officer}, key=lambda p: p.pk)):
        visit(world, when=at(DAY, 8, n), officers=[officer, person])  # each accepted
    for person, message in [
        (joint["retired"], "已不在岗"),
        (joint["uncertified"], "无有效执法证"),
        (joint["hekou"], "无权对该企业检查"),
    ]:
        with pytest.raises(ValidationError, match=message):
            visit(world, when=at(DAY, 11), officers=[officer, person])


def test_a_joint_inspection_finds_officers_of_other_units_on_the_scan_page(world, joint, client):
    client.force_login(world["user"])
    url = reverse("onsite:scan", args=[services.code_for(world["shop"]).token])
    page = client.get(url).content.decode()
    assert world["officers"][1].name in page and "欧阳联检" not in page  # not listed wholesale
    number = Certificate.objects.get(holder=joint["law"]).number

    def search(query, **data):
        body = {"reason": "special", "note": "联合检查", "officer_query": query, "action": "search", **data}
        return client.post(url, body).content.decode()

    found = search("欧阳")
    assert f"欧阳联检（青山县综合行政执法局，执法证{number}）" in found and "欧阳长冈乡（长冈乡" in found
    assert "13812345678" not in found and "1101051949" not in found  # no phone, no 身份证号
    for absent in ("欧阳退休", "欧阳无证", "欧阳河口镇", "欧阳邻县"):
        assert absent not in found
    assert re.search(r'value="special"[^>]*checked', found) and "联合检查" in found  # what was typed is kept
    assert not Visit.objects.exists()
    by_number = search(number[-6:], co_officers=[world["officers"][1].pk])
    assert "欧阳联检" in by_number and "找到1人" in by_number
    assert re.search(
        rf'value="{world["officers"][1].pk}"[^>]*checked', by_number
    )  # the choice so far is kept
    assert "没有找到" in search("欧") and "欧阳联检" not in search("欧")  # too short: no listing
    response = client.post(url, {"reason": "special", "co_officers": [joint["law"].pk]})
    assert response.status_code == 302
    recorded = Visit.objects.get()
    assert list(recorded.co_officers.all()) == [joint["law"]] and recorded.unit == world["market"]
    refused = client.post(url, {"reason": "complaint", "co_officers": [joint["hekou"].pk]}).content.decode()
    assert "同行执法人员不在可选范围内" in refused and Visit.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_visit_written_while_a_quiet_period_is_declared_is_flagged(world, monkeypatch):
    """The visit has read the periods (none yet) when the county declares one covering it: the
    declaration waits for the visit, then flags it. Without the wait the visit would stay unflagged,
    the declaration having looked for the visits it covers before this one was written."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers with BEGIN IMMEDIATE")
    read, declared = threading.Event(), []
    periods_on = selectors.quiet_periods_on

    def slow_read(*args):
        found = periods_on(*args)
        read.set()
        time.sleep(0.5)  # the declaration starts meanwhile
        return found

    monkeypatch.setattr(selectors, "quiet_periods_on", slow_read)

    def declare() -> None:
        read.wait(10)
        try:
            declared.append(quiet(world, allowed=["random"]))
        finally:
            connection.close()

    thread = threading.Thread(target=declare)
    thread.start()
    try:
        scanned, _ = visit(world)  # a 投诉举报 check, not allowed by the period
    finally:
        thread.join()
    assert declared and Visit.objects.get(pk=scanned.pk).flagged
    assert Visit.objects.get(pk=scanned.pk).quiet_period == declared[0]
