"""The browser icon: /favicon.ico answers without a login, and every page (the login page and the error
pages too) links the SVG icon with its PNG fallback."""

import xml.etree.ElementTree as ET
from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse

from fazhi.core.errors import bad_request, server_error
from fazhi.org.tests.factories import UserFactory

ICON_LINKS = (
    '<link rel="icon" href="/static/core/favicon.svg" type="image/svg+xml">',
    '<link rel="icon" href="/static/core/favicon-32.png" sizes="32x32" type="image/png">',
    '<link rel="apple-touch-icon" href="/static/core/apple-touch-icon.png">',
)


def test_favicon_ico_is_served_to_anyone(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header, not a login page
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert reverse("favicon") == "/favicon.ico"
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_icon_files_are_static_files():
    root = ET.fromstring(Path(finders.find("core/favicon.svg")).read_text(encoding="utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for name in ("favicon-32.png", "apple-touch-icon.png"):
        assert Path(finders.find(f"core/{name}")).read_bytes()[:4] == b"\x89PNG"


def test_pages_link_the_icon(client, county):
    pages = {"login": client.get(reverse("login")).content.decode()}
    client.force_login(UserFactory(username="zhang", unit=county["changgang"]))
    pages["home"] = client.get(reverse("home")).content.decode()
    pages["404"] = client.get("/org/units/999999/").content.decode()
    request = RequestFactory().get("/")
    pages["500"] = server_error(request).content.decode()  # _error_page.html, not base.html
    pages["400"] = bad_request(request, Exception("x")).content.decode()
    for name, page in pages.items():
        for link in ICON_LINKS:
            assert link in page, f"{name}: {link}"
