"""Names the saves of a login that change no audited field, so the audit log can say what happened.

Django's login saves only ``last_login`` and a password change only ``password``; neither field is
audited, so the version they leave would read as a change of nothing. The save's ``update_fields`` tell
them apart: the version is given the event as its change reason (``fazhi.core.audit.ACCOUNT_EVENTS``),
and a login is recorded as made by the user who logs in (inside a request or not)."""

from __future__ import annotations

from typing import Any

from fazhi.core.audit import ACCOUNT_EVENTS, LOGIN, PASSWORD_CHANGE

EVENTS_BY_SAVED_FIELDS = {frozenset({"last_login"}): LOGIN, frozenset({"password"}): PASSWORD_CHANGE}


def name_account_event(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """``pre_save`` of the user model: set the change reason of a login or password change."""
    event = EVENTS_BY_SAVED_FIELDS.get(frozenset(update_fields or ()))
    if event is not None:
        instance._change_reason = event  # read by django-simple-history
        if event == LOGIN:
            instance._history_user = instance
    elif getattr(instance, "_change_reason", None) in ACCOUNT_EVENTS:
        del instance._change_reason  # a later save of the same object is an ordinary change
