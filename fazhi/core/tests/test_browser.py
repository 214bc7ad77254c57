"""The main user paths in a real browser (Debian's Chromium, driven by Playwright): log in, keep a
合法性审查 through its steps, analyze an uploaded report; the layout on a phone; an edit refused because
someone saved first; an annual report refused for 审核 while a required part is empty. Screenshots go
to var/test-artifacts/."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from fazhi.decisions.models import LegalityReview
from fazhi.decisions.tests.factories import LegalityReviewFactory
from fazhi.jobs.testing import run_queued_tasks
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import PersonFactory, UserFactory
from fazhi.reports.models import AnnualReport, ReportPart

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (make browser)"),
]
PHONE = {"width": 390, "height": 844}  # a common phone's CSS pixels
REPORT = """青山县长冈乡人民政府关于2024年度法治政府建设情况的报告
一、主要举措和成效
全年共调解矛盾纠纷120件，调解成功118件，调解成功率90%。
二、存在的不足和原因
一是普法形式单一。
三、2025年工作安排
继续加强法治政府建设。
"""


@pytest.fixture
def page(transactional_db, live_server):  # this order: the server stops before the test database goes
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread beside the ORM
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900}, base_url=live_server.url)
        yield page
        browser.close()
        # Inside Playwright's greenlet the test's ORM calls open a connection of their own; close it, or
        # PostgreSQL refuses to drop the test database while it is open.
        connections.close_all()


def login(page, username, then: str = ""):
    """Log in on the login page; ``then``: the page to land on instead of the dashboard."""
    page.goto(f"/login/?next={then}" if then else "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")


def page_width(page) -> int:
    """How wide the page's content is: more than the viewport means the whole page scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


def test_keep_a_legality_review_and_analyze_a_report(page, county, tmp_path):
    UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang", first_name="王经办")
    PersonFactory(unit=county["changgang_office"], name="李审查")
    login(page, "changgang")
    page.click("text=合法性审查")
    page.click("text=新增合法性审查")
    page.select_option("select[name=unit]", label="长冈乡司法所")
    page.fill("input[name=number]", "长冈审〔2024〕1号")
    page.fill("input[name=title]", "关于殡葬改革的实施意见")
    page.select_option("select[name=kind]", label="规范性文件")
    page.fill("input[name=submitter]", "乡民政办")
    page.fill("input[name=submitted_on]", "2024-09-26")
    page.click("button[type=submit]")
    page.click("a:has-text('受理')")
    page.fill("input[name=on]", "2024-09-27")
    page.click("button[type=submit]")
    assert page.locator("text=出具审查意见期满：2024年10月23日").is_visible()
    assert page.locator(".badge:has-text('逾期')").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "legality-review.png"), full_page=True)

    path = tmp_path / "长冈乡报告.txt"
    path.write_text(REPORT, encoding="utf-8")
    page.click("text=报告分析")
    page.set_input_files("input[name=files]", str(path))
    page.click("text=上传并分析")
    page.wait_for_selector("text=排队中")  # the job's page: analyzed by the worker
    run_queued_tasks()  # what `fazhi worker` does, here in the test's process
    result = page.locator("a:has-text('查看结果')")
    result.wait_for(timeout=10_000)  # htmx polls the progress every second and swaps in the outcome
    assert page.locator("text=已分析1份报告").is_visible()
    result.click()
    assert page.locator("text=调解成功率：118件 ÷ 120件 = 98.3%，报告写“90%”").is_visible()
    page.click("a:has-text('长冈乡报告.txt')")
    assert page.locator("mark.fact-failed").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "report-analysis.png"), full_page=True)


def test_dashboard_charts_and_the_annual_report_editor(page, county):
    UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN, username="yfzx", first_name="周依法")
    login(page, "yfzx")
    assert page.locator("text=主要指标").first.is_visible()
    page.wait_for_selector(
        "#trend-chart canvas"
    )  # ECharts drew the trend (served from the installed package)
    page.click("text=年度法治政府建设报告")
    page.click("text=生成报告初稿")
    page.fill("input[name=year]", "2024")
    page.click("text=生成初稿")
    assert (
        page.locator("input[name=heading_measures]").input_value()
        == "一、2024年推进法治政府建设的主要举措和成效"
    )
    page.fill("textarea[name=text_next_year]", "（一）健全合法性审查机制。")
    page.wait_for_selector("text=已自动保存", timeout=10000)
    page.click("button[name=version]")
    assert page.locator("text=已保存为第1版").is_visible()
    page.screenshot(path=str(ARTIFACTS / "annual-report-editor.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=下载 DOCX")
    assert download.value.suggested_filename.endswith(".docx")


def test_phone_layout_menu_register_list_and_form(page, county):
    user = UserFactory(
        unit=county["changgang"], role=UserRole.OPERATOR, username="changgang", first_name="王经办"
    )
    for n in range(1, 4):
        LegalityReviewFactory(unit=county["changgang_office"], actor=user, n=n)
    violations = []  # the menu is Bootstrap's script: it must work under the Content-Security-Policy
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.set_viewport_size(PHONE)
    login(page, "changgang")
    page.wait_for_url("**/")
    sidebar = page.locator("nav#sidebar")
    menu = page.get_by_role("button", name="打开导航菜单")
    assert sidebar.is_hidden() and menu.is_visible()
    assert page_width(page) <= PHONE["width"] + 1
    menu.click()
    link = sidebar.get_by_role("link", name="合法性审查", exact=True)
    link.wait_for(state="visible")
    page.wait_for_timeout(400)  # the panel's slide-in transition, for the screenshot
    page.screenshot(path=str(ARTIFACTS / "phone-menu.png"))
    link.click()
    page.wait_for_url("**/registers/legality-reviews/")
    assert sidebar.is_hidden() and page_width(page) <= PHONE["width"] + 1
    # the table is wider than the screen and scrolls in its own box, its first column staying in view
    box = page.locator("main .table-responsive").first
    scroll_width, client_width = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll_width > client_width
    number = page.locator("main tbody tr").first.locator("td").first
    assert "审〔2025〕" in number.inner_text()
    before = number.bounding_box()["x"]
    box.evaluate("el => { el.scrollLeft = 200; }")
    assert abs(number.bounding_box()["x"] - before) < 1
    page.screenshot(path=str(ARTIFACTS / "phone-list.png"))
    page.click("text=新增合法性审查")
    page.wait_for_url("**/legality-reviews/new/")
    assert page_width(page) <= PHONE["width"] + 1
    title = page.locator("input[name=title]").bounding_box()
    assert title["width"] > 250 and title["x"] + title["width"] <= PHONE["width"]  # full width, on screen
    page.screenshot(path=str(ARTIFACTS / "phone-form.png"), full_page=True)
    assert violations == []


def test_a_stale_edit_is_refused_and_the_typed_value_stays(page, county, live_server):
    wang = UserFactory(
        unit=county["changgang"], role=UserRole.OPERATOR, username="changgang", first_name="王经办"
    )
    UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang2", first_name="李经办")
    review = LegalityReviewFactory(unit=county["changgang_office"], actor=wang)
    edit = f"/registers/legality-reviews/{review.pk}/edit/"
    other = page.context.browser.new_context(
        viewport={"width": 1400, "height": 900}, base_url=live_server.url
    )
    page2 = other.new_page()  # a second user, in a browser session of their own
    for p, username in ((page, "changgang"), (page2, "changgang2")):
        login(p, username, then=edit)  # both open the same version
        p.wait_for_url(f"**{edit}")
    page.fill("input[name=title]", "关于殡葬改革的实施意见（第二稿）")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/legality-reviews/{review.pk}/")
    assert page.locator("text=已保存合法性审查").is_visible()

    page2.fill("input[name=submitter]", "乡司法所")
    page2.click("main button[type=submit]")
    refusal = page2.locator(".alert-danger")
    refusal.wait_for()
    text = refusal.inner_text()
    assert text.startswith("保存失败：您打开后，该合法性审查已被王经办于") and "修改（送审事项）" in text
    assert "您填写的内容仍在表单中，请核对对方的修改后再保存。" in text
    assert page2.input_value("input[name=submitter]") == "乡司法所"  # what they typed is not lost
    assert "关于殡葬改革的实施意见（第二稿）" in page2.locator("[data-conflict]").inner_text()  # what changed
    page2.screenshot(path=str(ARTIFACTS / "stale-edit.png"), full_page=True)
    other.close()
    saved = LegalityReview.objects.get(pk=review.pk)
    assert saved.title == "关于殡葬改革的实施意见（第二稿）" and saved.submitter == review.submitter


def test_an_annual_report_with_an_empty_part_is_not_submitted_for_review(page, county):
    UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN, username="yfzx", first_name="周依法")
    login(page, "yfzx")
    page.wait_for_url("**/")
    page.click("text=年度法治政府建设报告")
    page.click("text=生成报告初稿")
    page.fill("input[name=year]", "2024")
    page.click("text=生成初稿")
    part = page.locator("textarea[name=text_next_year]")
    part.wait_for()
    report = AnnualReport.objects.get(unit=county["county"], year=2024)
    # The drafter may fill the part's registers data (which the editor shows read-only): empty it here,
    # so that the part is empty once its text is cleared, whatever the drafter writes.
    ReportPart.objects.filter(report=report, part="next_year").update(figures="")
    part.fill("")
    page.click("button[name=save]")
    page.wait_for_url(f"**/reports/annual/{report.pk}/")
    assert page.locator("textarea[name=text_next_year]").input_value() == ""
    assert not report.parts.get(part="next_year").text.strip()

    page.goto(f"/registers/annual-reports/{report.pk}/")
    page.click("main a:has-text('提交审核')")
    page.click("main button[type=submit]")
    refusal = page.locator(".alert-danger")
    refusal.wait_for()
    text = refusal.inner_text()
    assert "以下部分还没有内容，不能提交审核" in text and "2025年推进法治政府建设的主要安排" in text
    page.screenshot(path=str(ARTIFACTS / "annual-report-not-submitted.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == "drafting"
