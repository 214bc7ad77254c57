from django.utils.functional import SimpleLazyObject

from .scope import SESSION_KEY, Scope


class ScopeMiddleware:
    """Attach ``request.scope``; computed lazily so static and anonymous requests cost nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: Scope(request.user, request.session.get(SESSION_KEY)))
        return self.get_response(request)
