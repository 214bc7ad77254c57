"""What every page open to the public (no login) shares: GET/HEAD only, a rate limit per client address,
and HTTP caching (``Cache-Control: public`` and an ETag a conditional GET is answered from with 304).

The counters live in the ``default`` cache (settings.CACHES): Redis when ``REDIS_URL`` is set, else the
memory of the one waitress process ``fazhi serve`` runs, whose threads share it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def etag_of(*parts: object) -> str:
    """A strong validator for a page made from ``parts`` (the query and what the data's state is)."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def public_page(etag: Callable[..., str | None] | None = None, *, max_age: int | None = None):
    """Open ``view`` to everyone: login not required, only safe methods, at most
    ``settings.PUBLIC_RATE`` requests per client address (429 with Retry-After beyond it), cacheable
    for ``max_age`` seconds by browsers and proxies, revalidated with ``etag(request, *args)``."""

    def decorate(view):
        conditional = condition(etag_func=etag)(view) if etag else view

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if is_ratelimited(
                request, group="public", key="ip", rate=settings.PUBLIC_RATE, method=ALL, increment=True
            ):
                response = render(request, "publicity/429.html", status=429)
                response["Retry-After"] = "60"
                return response
            response = conditional(request, *args, **kwargs)
            if response.status_code in (200, 304):
                patch_cache_control(response, public=True, max_age=max_age or settings.PUBLIC_MAX_AGE)
            return response

        wrapper.public_page = True  # type: ignore[attr-defined]  # tests find every public view by it
        return login_not_required(require_safe(wrapper))

    return decorate
