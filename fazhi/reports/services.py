"""Upload reports for analysis: every file is checked and read before anything is saved."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.core.audit import stamp_actor
from fazhi.jobs import files
from fazhi.jobs.models import Job
from fazhi.jobs.services import start
from fazhi.org.models import Unit, User

from .analyzer.analyze import analyze_text
from .analyzer.reading import MAX_BYTES, ReadError, read_bytes
from .models import AnalysisBatch, AnalyzedReport

MAX_FILES = 50


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _check_upload(uploads: list[Upload], actor: User) -> None:
    if not actor.can_edit:
        raise PermissionDenied("只读用户不能上传报告。")
    if not uploads:
        raise ValidationError("请选择至少一份报告文件。")
    if len(uploads) > MAX_FILES:
        raise ValidationError(f"一次最多上传{MAX_FILES}份报告，本次选择了{len(uploads)}份。")


def analyze_upload(
    uploads: list[Upload],
    *,
    unit: Unit,
    actor: User,
    name: str = "",
    on_file: Callable[[int, int, str], None] | None = None,
) -> AnalysisBatch:
    """Analyze the uploaded reports and keep them as one batch; any unreadable file rejects the upload.
    ``on_file(done, total, file_name)`` is called after each file is read and analyzed."""
    _check_upload(uploads, actor)
    errors, analyzed = [], []
    for done, upload in enumerate(uploads, 1):
        if len(upload.data) > MAX_BYTES:  # checked before reading, so a huge file is not parsed
            errors.append(f"{upload.name}：文件过大，上限为 {MAX_BYTES // 1024 // 1024} MB")
        else:
            try:
                text = read_bytes(upload.data, upload.name)
            except ReadError as exc:
                errors.append(str(exc))
            else:
                analyzed.append((upload, text, analyze_text(text, upload.name)))
        if on_file is not None:
            on_file(done, len(uploads), upload.name)
    if errors:
        raise ValidationError([*errors, "以上文件有问题，本次上传未保存任何报告；请修正或移除后重新上传。"])
    with transaction.atomic():
        batch = AnalysisBatch(unit=unit, name=name or _default_name(analyzed), created_by=actor)
        stamp_actor(batch, actor)
        batch.save()
        AnalyzedReport.objects.bulk_create(
            AnalyzedReport(
                batch=batch,
                file_name=upload.name,
                file_size=len(upload.data),
                sha256=hashlib.sha256(upload.data).hexdigest(),
                text=text,
                result=result,
            )
            for upload, text, result in analyzed
        )
    return batch


def analyze_upload_later(uploads: list[Upload], *, unit: Unit, actor: User, name: str = "") -> Job:
    """Check the upload now (who, how many), keep the files, and analyze them as a background Job
    (``tasks.analyze_batch``: the same all-or-nothing ``analyze_upload``, with progress per file)."""
    _check_upload(uploads, actor)
    staged: list[list[str]] = []
    try:
        for upload in uploads:
            staged.append([files.stage(upload.data, upload.name), upload.name])
        return start(
            "fazhi.reports.tasks.analyze_batch",
            actor=actor,
            unit=unit,
            title=f"分析{len(uploads)}份报告" + (f"（{name}）" if name else ""),
            name=name,
            files=staged,
        )
    except BaseException:
        files.discard(path for path, _ in staged)
        raise


def _default_name(analyzed: list) -> str:
    years = sorted({r["year"] for _, _, r in analyzed if r["year"]})
    year = f"{years[0]}年度" if len(years) == 1 else ""
    return f"{year}法治政府建设报告{len(analyzed)}份"


def batch_delete(batch: AnalysisBatch, *, actor: User, visible_ids: list[int]) -> None:
    if not actor.can_edit or batch.unit_id not in set(visible_ids):
        raise PermissionDenied("无权删除该批报告。")
    stamp_actor(batch, actor)
    batch.delete()
