"""Uploaded files a task reads: kept in the project's storage (MEDIA_ROOT, shared by the web server and
the workers) from the request until the worker has read them, since a task's arguments are JSON only."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

STAGING = "jobs/uploads"


def stage(data: bytes, name: str) -> str:
    """Keep ``data`` (a file the user named ``name``) for a task; returns its storage path, the value to
    pass to the task. The user's name is not used in the path (only its suffix)."""
    suffix = PurePath(name).suffix.lower()[:10]
    return default_storage.save(f"{STAGING}/{uuid.uuid4().hex}{suffix}", ContentFile(data))


def read(path: str) -> bytes:
    if not path.startswith(f"{STAGING}/"):  # a task argument, but never a path outside the staging area
        raise ValueError(f"not a staged file: {path!r}")
    with default_storage.open(path, "rb") as f:
        return f.read()


def discard(paths: Iterable[str]) -> None:
    """Remove staged files (the task has read them, or the job was not started)."""
    for path in paths:
        if path.startswith(f"{STAGING}/"):
            default_storage.delete(path)
