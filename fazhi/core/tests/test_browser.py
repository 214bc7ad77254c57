"""The main user paths in a real browser (Debian's Chromium, driven by Playwright): log in, keep a
合法性审查 through its steps, analyze an uploaded report. Screenshots go to var/test-artifacts/."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from fazhi.jobs.testing import run_queued_tasks
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import PersonFactory, UserFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (make browser)"),
]
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


def login(page, username):
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")


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
