"""In Chromium, under the Content-Security-Policy: the main pages raise no CSP violation (charts and their
tooltips included), and the behaviour moved out of inline handlers still works."""

import pytest

from .demo_snapshot import demo_county
from .test_browser import CHROMIUM, page  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (make browser)"),
]
PAGES = (
    "/",
    "/org/units/",
    "/org/people/",
    "/org/users/",
    "/rules/",
    "/workdays/",
    "/registers/legality-reviews/",
    "/registers/legality-reviews/new/",
    "/reports/annual/rollup/",
    "/reports/analyze/",
    "/indicators/manual/",
    "/account/password/",
    "/account/otp/",
    "/decisions/normative-catalogue/",
    "/sysadmin/",
    "/sysadmin/org/unit/",
)


def test_pages_raise_no_csp_violation_and_moved_behaviour_works(page):  # noqa: F811
    demo_county()  # committed: the live server's thread reads it
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/login/")
    page.fill("input[name=username]", "yfzx")
    page.fill("input[name=password]", "fazhi@2024")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    for url in PAGES:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.goto("/")
    for chart in ("#trend-chart", "#ranking-chart"):  # tooltips are drawn on hover
        box = page.locator(chart).bounding_box()
        for fx in (0.3, 0.5, 0.7):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.4)
            page.wait_for_timeout(150)
    with page.expect_navigation():  # <select data-autosubmit> (was onchange="this.form.submit()")
        page.select_option("select#year", index=2)
    assert "year=" in page.url
    page.goto("/org/units/")
    page.goto("/org/units/new/")
    assert "form-control" in page.locator("form.form-styled input[name=name]").get_attribute("class")
    page.click("a[data-history-back]")  # 取消 (was href="javascript:history.back()")
    page.wait_for_url("**/org/units/")
    assert violations == []
