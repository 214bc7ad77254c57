"""Every view open without login is either a page of the login itself or a public page that wears
``public_page`` (rate limit, safe methods, caching); its templates set no session or CSRF cookie."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# Open by nature: logging in, the browser's icon, the sysadmin site's own login and the error pages.
NOT_PUBLIC_PAGES = {"login", "favicon"}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.name}", entry.callback


def test_every_view_open_without_login_is_a_rate_limited_public_page():
    open_views = {
        name: view
        for name, view in _patterns(get_resolver())
        if getattr(view, "login_required", True) is False and view.__module__.startswith("fazhi.")
    }
    assert {
        "publicity:index",
        "publicity:decisions",
        "inspections:public_list",
        "inspections:plan_public",
    } <= set(open_views)
    unguarded = sorted(
        name
        for name, view in open_views.items()
        if name not in NOT_PUBLIC_PAGES and not getattr(view, "public_page", False)
    )
    assert unguarded == []
