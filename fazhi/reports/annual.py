"""Writes of the annual report's text: autosave, versions, restoring one, comparing two."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from fazhi.core.audit import stamp_actor
from fazhi.org.models import User

from .models import AnnualReport, ReportPart, ReportVersion

MAX_PART_CHARS = 50_000


def _check(report: AnnualReport, actor: User, scope_ids: list[int]) -> None:
    if not actor.can_edit:
        raise PermissionDenied("只读用户不能修改报告。")
    if report.unit_id not in set(scope_ids):
        raise PermissionDenied("该报告不属于您可管理的单位。")
    if report.status in ("submitted", "published"):
        raise ValidationError("报告已报送，不能再修改正文；如需修改请先由审核人退回。")


def content(report: AnnualReport) -> list[dict]:
    return [
        {"part": p.part, "heading": p.heading, "figures": p.figures, "text": p.text}
        for p in report.parts.order_by("order")
    ]


@dataclass(frozen=True)
class PartConflict:
    """A part someone else saved after the writer read it: its text now, by whom, at which revision."""

    part: str
    heading: str
    text: str
    by: str
    at: datetime
    revision: int


@dataclass
class SaveResult:
    changed: int = 0
    revisions: dict[str, int] = field(default_factory=dict)  # part → revision after the save
    conflicts: list[PartConflict] = field(default_factory=list)


@transaction.atomic
def save_text(
    report: AnnualReport,
    texts: dict[str, tuple[str, str]],
    *,
    actor: User,
    scope_ids: list[int],
    read: dict[str, int] | None = None,
) -> SaveResult:
    """Save headings and text by part ({part: (heading, text)}). ``read`` gives the revision each part
    was read at: a part saved by someone else since then is not overwritten but returned as a conflict
    (the other parts are saved). Every saved change is audited."""
    _check(report, actor, scope_ids)
    result = SaveResult()
    for part in report.parts.select_for_update(of=("self",)).select_related("updated_by"):
        result.revisions[part.part] = part.revision
        if part.part not in texts:
            continue
        heading, text = (t.strip() for t in texts[part.part])
        if (heading, text) == (part.heading, part.text):
            continue
        if read is not None and part.part in read and read[part.part] != part.revision:
            who = part.updated_by.display_name if part.updated_by else "其他用户"
            result.conflicts.append(
                PartConflict(part.part, part.heading, part.text, who, part.updated_at, part.revision)
            )
            continue
        if not heading:
            raise ValidationError(f"“{part.heading}”的标题不能为空。")
        if len(heading) > (limit := ReportPart._meta.get_field("heading").max_length):
            raise ValidationError(f"“{part.heading}”的标题超过{limit}字。")
        if len(text) > MAX_PART_CHARS:
            raise ValidationError(f"“{part.heading}”超过{MAX_PART_CHARS}字。")
        part.heading, part.text = heading, text
        part.revision += 1
        part.updated_by = actor
        stamp_actor(part, actor)
        part.save(update_fields=["heading", "text", "revision", "updated_by", "updated_at"])
        result.revisions[part.part] = part.revision
        result.changed += 1
    return result


@transaction.atomic
def save_version(report: AnnualReport, *, actor: User, scope_ids: list[int], note: str = "") -> ReportVersion:
    if report.unit_id not in set(scope_ids) or not actor.can_edit:
        raise PermissionDenied("无权保存该报告的版本。")
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ReportVersion.objects.create(
        report=report, number=number, content=content(report), note=note[:100], created_by=actor
    )


@transaction.atomic
def restore_version(version: ReportVersion, *, actor: User, scope_ids: list[int]) -> None:
    """Put a version's headings and text back (its figures are not: they come from the registers)."""
    report = version.report
    save_version(report, actor=actor, scope_ids=scope_ids, note=f"恢复第{version.number}版之前")
    save_text(
        report,
        {c["part"]: (c["heading"], c["text"]) for c in version.content},
        actor=actor,
        scope_ids=scope_ids,
    )


@dataclass(frozen=True)
class PartDiff:
    heading: str
    changed: bool
    segments: list[tuple[str, str]]  # ("equal" | "insert" | "delete", text)


def compare(old: list[dict], new: list[dict]) -> list[PartDiff]:
    """Character-level differences, part by part (Chinese has no spaces to split words on)."""
    before = {c["part"]: c for c in old}
    result = []
    for part in new:
        a = "\n".join(before.get(part["part"], {}).get(k, "") for k in ("heading", "figures", "text"))
        b = "\n".join(part[k] for k in ("heading", "figures", "text"))
        segments: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                segments.append(("equal", a[i1:i2]))
            if op in ("delete", "replace"):
                segments.append(("delete", a[i1:i2]))
            if op in ("insert", "replace"):
                segments.append(("insert", b[j1:j2]))
        result.append(PartDiff(part["heading"], a != b, segments))
    return result
