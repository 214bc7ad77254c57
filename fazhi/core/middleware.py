"""Requests refused before any view sees them."""

from django.core.exceptions import BadRequest


class RejectNulMiddleware:
    """A NUL character in a query or form value is never meaningful here, and PostgreSQL refuses it in
    any string ("A string literal cannot contain NUL"), which would surface as a 500 deep in a query:
    answer 400 (the Chinese 400 page) at the door instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (
                request.method == "POST"
                and not request.content_type.startswith("multipart/")
                and _has_nul(request.POST)
            )
        ):
            raise BadRequest("请求中含有不允许的空字符（NUL）。")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
