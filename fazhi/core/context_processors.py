from .navigation import SECTIONS


def layout(request):
    """Navigation and the unit scope for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    sections = [
        (
            s.label,
            [
                {
                    "label": i.label,
                    "href": (href := i.href),
                    "active": path == href or (href != "/" and path.startswith(href)),
                }
                for i in s.items
                if user.can_manage or not i.managers_only
            ],
        )
        for s in SECTIONS
    ]
    return {"nav_sections": sections, "scope": request.scope}
