"""Every page, with real ids, bad ids and odd query values, as a township user and as the system
administrator: nothing answers 500, every HTML page carries the Content-Security-Policy.

The demo county is built once for the module; real ids come from following the links of the pages
themselves (so a new page is crawled as soon as something links to it), bad ids and odd values are
substituted into every URL pattern.
"""

from __future__ import annotations

import re
import traceback
from collections import defaultdict
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from fazhi.org.models import User

USERS = ("changgang", "admin")  # a township administrator; the system administrator
ODD_QUERIES = (
    "?year=abc&page=-1&q=%00&unit=abc&status=abc&state=abc&due=abc&export=abc&format=abc&rank=abc&on=2024-02-30",
    "?year=99999999999999999999&page=abc&code=nope&a=abc&b=-1&kind=%E6%9C%88&n=abc&unit=999999&format=zip",
    "?year=-1&page=99999&start=abc&rule=%3Cscript%3E&next=//evil.example/&q="
    + "x" * 2000
    + "&export=figures",
)
BAD_VALUES = {
    "int": ("0", "999999", "99999999999999999999"),
    "slug": ("abc", "no-such-key"),
    "str": ("abc", "%20"),
}
SKIP = {"logout"}  # crawling it would end the session
MAX_PAGES = 600
# one worker harvests the links once (half a minute) and visits every page; split, each worker harvested
pytestmark = pytest.mark.xdist_group("crawl")
# Pages whose 500 belongs to code other engineers are rewriting (registers, decisions, indicators, the
# analyzer): (user, url name) -> what fails. Strict: each turns red when it is fixed, to be removed here.
KNOWN_500: dict[tuple[str, str], str] = {}


def _patterns(patterns=None, prefix="", namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("sysadmin"):
                continue  # the Django admin ("sysadmin") is crawled through its links
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", prefix + str(p.pattern)


ROUTES = dict(_patterns())
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _bad_urls(route: str) -> list[str]:
    """The route with each parameter in turn set to each bad value (the others to their first one)."""
    params = [conv or "str" for conv, _ in PARAM.findall(route)]
    if not params:
        return ["/" + route]
    urls = []
    for i, conv in enumerate(params):
        for value in BAD_VALUES.get(conv, ("abc",)):
            values = [value if j == i else BAD_VALUES.get(c, ("abc",))[0] for j, c in enumerate(params)]
            parts = iter(values)
            urls.append("/" + PARAM.sub(lambda _m, parts=parts: next(parts), route))
    return urls


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ODD_FORM_VALUES = ("abc", "-1", "99999999999999999999", "2024-02-30", "1e309", "x" * 3000)


def _own_form_fields(html: str, path: str) -> set[str]:
    """The field names of the POST forms of a page that submit to the page itself."""
    names: set[str] = set()
    for attrs, body in FORM.findall(html):
        if not re.search(r'method="post"', attrs, re.I):
            continue
        action = re.search(r'action="([^"]*)"', attrs)
        if action and unescape(action.group(1)).split("?")[0] not in ("", path):
            continue
        names |= set(re.findall(r'name="([^"]+)"', body)) - {"csrfmiddlewaretoken", "next"}
    return names


def _group_of(path: str) -> tuple[str, str] | None:
    """(url name, its non-id arguments): real URLs are kept per register key, not only per url name."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    others = ",".join(f"{k}={v}" for k, v in sorted(match.kwargs.items()) if not isinstance(v, int))
    return match.view_name, others


def _harvest(client: Client) -> dict[str, list[str]]:
    """Follow the links of the site from the home page: one real URL per url name and register key."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    queue = ["/", "/sysadmin/"] + ["/" + r for r in ROUTES.values() if "<" not in r]
    seen: set[str] = set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        group = _group_of(urlsplit(url).path)
        if group is None or group[0] in SKIP or group[0] == "admin:logout" or group in found:
            continue
        if group[0].startswith("admin:") and sum(k[0].startswith("admin:") for k in found) > 30:
            continue  # a sample of the Django admin: thirty kinds of page
        found[group].append(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'(?:href|action|hx-get|hx-post)="([^"#]+)"', response.content.decode()):
            href = unescape(href)
            if href.startswith("/") and not href.startswith(("/static/", "//")):
                queue.append(href)
    by_name: dict[str, list[str]] = defaultdict(list)
    for (name, _), urls in sorted(found.items()):
        by_name["sysadmin" if name.startswith("admin:") else name] += urls
    return by_name


@pytest.fixture(scope="module")
def crawl_plan(demo_county, django_db_blocker):
    """Per user of the demo county (rolled back after the module), the URLs to visit per url name."""
    with django_db_blocker.unblock():
        plan = {}
        for username in USERS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            plan[username] = _harvest(client)
    return plan


def _cases():
    for username in USERS:
        for name in sorted([*ROUTES, "sysadmin"]):
            if name in SKIP:
                continue
            marks = []
            if reason := KNOWN_500.get((username, name)):
                marks = [pytest.mark.xfail(strict=True, reason=reason)]
            yield pytest.param(username, name, marks=marks, id=f"{username}-{name}")


def _failure(response) -> str:
    exc = getattr(response, "_crawl_exc", None)
    return exc or f"{response.status_code}"


@pytest.mark.parametrize(("username", "name"), list(_cases()))
def test_no_page_answers_500(crawl_plan, db, username, name):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    errors: list[str] = []

    def record(sender, request, **kwargs):
        errors.append(f"{request.method} {request.get_full_path()[:200]}\n{traceback.format_exc(limit=-3)}")

    from django.core.signals import got_request_exception

    got_request_exception.connect(record)
    try:
        bad = _bad_urls(ROUTES[name]) if name in ROUTES else ["/sysadmin/org/unit/0/change/"]
        urls = crawl_plan[username].get(name, []) + bad
        statuses, fuzzed = [], set()
        for url in urls:
            base = url.split("?")[0]
            fields: set[str] = set()
            for query in ("", *ODD_QUERIES):
                response = client.get(base + query)
                statuses.append((base + query, response.status_code))
                if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                    assert "script-src 'self'" in response.get("Content-Security-Policy", ""), base + query
                    if not query:
                        fields = _own_form_fields(response.content.decode(), base)
            # the page's own form posted empty and with odd values in every field: its errors, never a 500
            posts = [{}, {"year": "abc", "unit": "abc", "page": "-1", "file": "", "token": "x" * 9}]
            if fields and frozenset(fields) not in fuzzed:  # odd values in every field, once per form
                fuzzed.add(frozenset(fields))
                posts += [dict.fromkeys(fields, value) for value in ODD_FORM_VALUES]
            for data in posts:
                response = client.post(base, data)
                statuses.append((f"POST {base} {str(data)[:80]}", response.status_code))
    finally:
        got_request_exception.disconnect(record)
    broken = [f"{u} -> {s}" for u, s in statuses if s >= 500]
    assert not broken, "\n".join(broken[:10]) + "\n\n" + "\n".join(errors[:3])
