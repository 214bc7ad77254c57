"""A register's list in a real browser (Debian's Chromium, driven by Playwright): a header sorts it both
ways, and its print view is a bare A4 landscape sheet whose table header repeats on every page.
Screenshots and the printed PDF go to var/test-artifacts/."""

import re
from datetime import date

import pytest

from fazhi.core.tests.test_browser import ARTIFACTS, CHROMIUM, login, page  # noqa: F401  (the fixture)
from fazhi.decisions.registers import LEGALITY_REVIEWS
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.registers.testing import Maker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (make browser)"),
]


def _numbers(page) -> list[str]:  # noqa: F811
    return page.locator("table tbody tr td:nth-child(1)").all_inner_texts()


def test_sort_a_list_by_its_header_and_print_it(page, county):  # noqa: F811
    user = UserFactory(
        unit=county["changgang"], role=UserRole.OPERATOR, username="changgang", first_name="王经办"
    )
    maker = Maker(user)
    for n, submitted in enumerate((date(2024, 5, 6), date(2024, 3, 4), date(2024, 9, 9)), start=1):
        maker.create(LEGALITY_REVIEWS, county["changgang_office"], start=submitted,
                     number=f"长冈审〔2024〕{n}号", submitted_on=submitted)  # fmt: skip
    login(page, "changgang")
    page.goto("/registers/legality-reviews/")
    assert _numbers(page) == ["长冈审〔2024〕3号", "长冈审〔2024〕2号", "长冈审〔2024〕1号"]  # newest first

    page.click("thead a:has-text('送审日期')")
    page.wait_for_url(re.compile(r"sort=submitted_on"))
    assert _numbers(page) == ["长冈审〔2024〕2号", "长冈审〔2024〕1号", "长冈审〔2024〕3号"]
    assert page.locator("th[aria-sort=ascending]").inner_text() == "送审日期 ▲"
    page.click("thead a:has-text('送审日期')")
    page.wait_for_url(re.compile(r"sort=-submitted_on"))
    assert _numbers(page) == ["长冈审〔2024〕3号", "长冈审〔2024〕1号", "长冈审〔2024〕2号"]
    assert page.locator("th[aria-sort=descending]").inner_text() == "送审日期 ▼"
    page.screenshot(path=str(ARTIFACTS / "register-list-sorted.png"), full_page=True)

    with page.context.expect_page() as opened:
        page.click("a:has-text('打印')")
    sheet = opened.value
    sheet.wait_for_load_state()
    assert "/registers/legality-reviews/print/?sort=-submitted_on" in sheet.url
    assert sheet.locator(".sidebar, nav, header.navbar, form").count() == 0
    assert sheet.locator("h1").inner_text().startswith("青山县长冈乡 合法性审查台账（截至")
    assert sheet.locator("thead th").first.inner_text() == "序号"
    rows = sheet.locator("tbody tr")
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == [
        "长冈审〔2024〕3号",
        "长冈审〔2024〕1号",
        "长冈审〔2024〕2号",
    ]
    assert sheet.locator("button[data-print]").is_visible()  # shown by print.js
    assert "打印人：王经办（长冈乡）" in sheet.locator("footer").inner_text()
    sheet.screenshot(path=str(ARTIFACTS / "register-print-screen.png"), full_page=True)

    sheet.emulate_media(media="print")
    assert not sheet.locator(".print-toolbar").is_visible()  # no buttons on paper
    assert sheet.evaluate("getComputedStyle(document.querySelector('thead')).display") == "table-header-group"
    sheet.screenshot(path=str(ARTIFACTS / "register-print.png"), full_page=True)
    pdf = sheet.pdf(prefer_css_page_size=True)  # the page size the stylesheet asks for: A4 landscape
    (ARTIFACTS / "register-print.pdf").write_bytes(pdf)
    [box] = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
    width, height = (float(v) for v in box)
    assert round(width) == 842 and round(height) == 595, box  # 297 × 210 mm in points
