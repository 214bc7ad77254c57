"""The Chinese error pages (urls.py handler400/403/404/500). They show no technical detail: the
traceback of a 500 goes to the log (logger django.request), never to the page."""

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.views import defaults


def bad_request(request, exception):
    # Rendered without the request: a 400 can come from a request too broken to build a context from.
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def permission_denied(request, exception):
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    # No context at all: whatever failed (the database, a context processor) must not fail here again.
    return HttpResponseServerError(loader.get_template("500.html").render())
