"""Pages of the annual report: draft from the registers, edit with autosave and versions, render as a
公文 (DOCX, PDF), check against the registers, and the roll-up of subordinates' reports."""

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from fazhi.core.downloads import download
from fazhi.core.forms import year_param
from fazhi.jobs.services import start
from fazhi.registers.selectors import item_in_scope, with_due_state

from . import annual, builder, pdf
from .analyzer.analyze import analyze_bytes
from .crosscheck import against_registers
from .docx_render import render_docx
from .models import AnnualReport
from .registers import ANNUAL_REPORTS


def _annual(request, pk: int) -> AnnualReport:
    return item_in_scope(ANNUAL_REPORTS, pk, request.scope.visible_ids)


def annual_new(request):
    """Draft the current unit's report for a year from its registers (or open the one already drafted)."""
    year = timezone.localdate().year - 1
    if request.method == "POST":
        if not request.user.can_edit:
            raise PermissionDenied("只读用户不能起草报告。")
        raw = request.POST.get("year", "")
        if not (raw.isdigit() and 2000 <= int(raw) <= year + 1):
            messages.error(request, f"年度“{raw}”不正确。")
        else:
            report = builder.draft_report(
                request.scope.unit, int(raw), actor=request.user, unit_ids=request.scope.unit_ids
            )
            return redirect("reports:annual_edit", report.pk)
    return render(request, "reports/annual_new.html", {"year": year})


def annual_edit(request, pk: int):
    report = _annual(request, pk)
    if not report.parts.exists() and request.user.can_edit:  # registered by import: draft its parts now
        builder.ensure_parts(report, unit_ids=request.scope.unit_ids)
    conflicts: list[annual.PartConflict] = []
    typed: dict[str, tuple[str, str]] = {}
    if request.method == "POST":
        texts = {
            p.part: (
                request.POST.get(f"heading_{p.part}", p.heading),
                request.POST.get(f"text_{p.part}", p.text),
            )
            for p in report.parts.all()
        }
        read = {part: int(raw) for part in texts if (raw := request.POST.get(f"rev_{part}", "")).isdigit()}
        try:
            saved = annual.save_text(
                report, texts, actor=request.user, scope_ids=request.scope.unit_ids, read=read
            )
            conflicts = saved.conflicts
            if "regenerate" in request.POST and not conflicts:
                builder.regenerate_figures(report, unit_ids=request.scope.unit_ids)
                messages.success(request, "已按台账重新生成数据，您写的正文未改变。")
            if "version" in request.POST and not conflicts:
                version = annual.save_version(
                    report,
                    actor=request.user,
                    scope_ids=request.scope.unit_ids,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, f"已保存为第{version.number}版。")
        except ValidationError as exc:
            if request.htmx:
                # the messages quote the user's own headings: escaped, never trusted as HTML
                return HttpResponse(
                    format_html('<span class="text-danger">{}</span>', "；".join(exc.messages))
                )
            messages.error(request, "；".join(exc.messages))
        else:
            if request.htmx:
                return render(
                    request,
                    "reports/_autosave.html",
                    {"saved": saved, "conflicts": conflicts, "now": timezone.localtime()},
                )
            if not conflicts:
                return redirect("reports:annual_edit", pk)
            typed = {c.part: texts[c.part] for c in conflicts}  # shown again, never lost
        if not conflicts:
            return redirect("reports:annual_edit", pk)
    parts = list(report.parts.order_by("order"))
    by_part = {c.part: c for c in conflicts}
    for p in parts:
        p.conflict = by_part.get(p.part)
        if p.part in typed:
            p.heading, p.text = typed[p.part]
            p.revision = p.conflict.revision  # saving again now is a deliberate choice
    editable = request.user.can_edit and report.status in ("drafting", "reviewing")
    measures, coverage = builder.editor_aids(report, unit_ids=request.scope.unit_ids, editable=editable)
    context = {
        "report": report,
        "parts": parts,
        "versions": report.versions.select_related("created_by"),
        "editable": editable,
        "status": ANNUAL_REPORTS.workflow.label(report.status),
        "measures": measures,
        "coverage": coverage,
    }
    return render(request, "reports/annual_edit.html", context)


@require_POST
def annual_adopt(request, pk: int):
    """Write the measures the user ticked into part 四."""
    report = _annual(request, pk)
    if not request.user.can_edit:
        raise PermissionDenied("只读用户不能修改报告。")
    try:
        n = builder.adopt_measures(
            report, request.POST.getlist("measure"), actor=request.user, unit_ids=request.scope.unit_ids
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已将{n}项措施写入“下一年度主要安排”。")
    return redirect("reports:annual_edit", pk)


def annual_compare(request, pk: int):
    report = _annual(request, pk)
    versions = {v.number: v for v in report.versions.all()}
    a, b = request.GET.get("a", ""), request.GET.get("b", "current")
    if (
        not a.isdigit()
        or int(a) not in versions
        or (b != "current" and (not b.isdigit() or int(b) not in versions))
    ):
        messages.error(request, "请选择要比较的两个版本。")
        return redirect("reports:annual_edit", pk)
    old = versions[int(a)].content
    new = annual.content(report) if b == "current" else versions[int(b)].content
    label_b = "当前稿" if b == "current" else f"第{b}版"
    context = {"report": report, "diffs": annual.compare(old, new), "label_a": f"第{a}版", "label_b": label_b}
    return render(request, "reports/annual_compare.html", context)


@require_POST
def annual_restore(request, pk: int, number: int):
    report = _annual(request, pk)
    version = get_object_or_404(report.versions, number=number)
    try:
        annual.restore_version(version, actor=request.user, scope_ids=request.scope.unit_ids)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已恢复第{number}版的正文（恢复前的稿子已另存为一个版本）。")
    return redirect("reports:annual_edit", pk)


def annual_docx(request, pk: int):
    report = _annual(request, pk)
    letterhead = request.GET.get("letterhead") == "1"  # the copy sent up carries the 版头
    return download(render_docx(report, letterhead=letterhead), f"{report.title}.docx")


def annual_pdf(request, pk: int):
    """Render the PDF as a background Job (LibreOffice takes seconds): a GET offers it, a POST starts it
    and goes to the Job's page, which links the file when it is ready."""
    report = _annual(request, pk)
    if pdf.libreoffice() is None:
        messages.error(request, pdf.PDF_UNAVAILABLE)
        return redirect("registers:detail", ANNUAL_REPORTS.key, pk)
    if request.method == "POST":
        job = start(
            "fazhi.reports.tasks.render_pdf",
            actor=request.user,
            unit=report.unit,
            title=f"生成 PDF：{report.title}",
            report_id=report.pk,
        )
        return redirect(job)
    return render(request, "reports/annual_pdf.html", {"report": report})


def annual_check(request, pk: int):
    """The rendered report read back by the analyzer: its checks, and each figure against the registers."""
    report = _annual(request, pk)
    result = analyze_bytes(render_docx(report), f"{report.title}.docx")
    context = {
        "report": report,
        "result": result,
        "failed": [c for c in result["checks"] if not c["ok"]],
        "differences": against_registers(result, report.unit, report.year),
    }
    return render(request, "reports/annual_check.html", context)


def annual_rollup(request):
    """Every direct subordinate's report for a year, its status and due date; all of them as one ZIP."""
    unit = request.scope.unit
    today = timezone.localdate()
    year = year_param(request.GET.get("year"), default=today.year - 1, latest=today.year)
    children = list(unit.children.exclude(level__in=["village"]).order_by("sort_order", "code"))
    reports = {r.unit_id: r for r in AnnualReport.objects.filter(unit__in=[unit, *children], year=year)}
    if request.GET.get("format") == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for report in reports.values():
                archive.writestr(f"{report.unit.code}-{report.title}.docx", render_docx(report))
        return download(buffer.getvalue(), f"{unit.name}{year}年度法治政府建设报告.zip")
    rows = []
    for child in [unit, *children]:
        report = reports.get(child.pk)
        if report:
            [report] = with_due_state(ANNUAL_REPORTS, [report])
        rows.append(
            {
                "unit": child,
                "report": report,
                "status": ANNUAL_REPORTS.workflow.label(report.status) if report else "未起草",
            }
        )
    return render(request, "reports/annual_rollup.html", {"year": year, "rows": rows, "count": len(reports)})
