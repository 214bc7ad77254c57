"""Pages of the report analyzer: upload reports, compare them, read each with its figures highlighted."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core.forms import apply_validation_errors
from fazhi.core.xlsx import xlsx_response
from fazhi.indicators.catalogue import indicators
from fazhi.rules.catalogue import national_rule

from . import selectors, services
from .analyzer.structure import OPTIONAL_PARTS
from .analyzer.table import comparison_table, write_table_bytes
from .crosscheck import against_registers
from .forms import UploadForm
from .highlight import segments


def analysis_list(request):
    form = UploadForm()
    if request.method == "POST":
        if not request.user.can_edit:
            raise PermissionDenied("只读用户不能上传报告。")
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploads = [services.Upload(f.name, f.read()) for f in form.cleaned_data["files"]]
            try:
                job = services.analyze_upload_later(
                    uploads, unit=request.scope.unit, actor=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                apply_validation_errors(form, exc)
            else:  # read and analyzed by the worker; the job page shows the progress, then the batch
                return redirect(job)
    page = Paginator(selectors.batches_in(request.scope.unit_ids), 30).get_page(request.GET.get("page"))
    return render(request, "reports/analysis_list.html", {"form": form, "page": page})


def batch_detail(request, pk: int):
    batch = selectors.batch_in_scope(pk, request.scope.visible_ids)
    reports = list(batch.reports.all())
    table = comparison_table([r.result for r in reports])
    context = {
        "batch": batch,
        "reports": reports,
        "table": table,
        "columns": list(zip(reports, table.reports, strict=True)),  # each column links to its report
    }
    return render(request, "reports/batch_detail.html", context)


def batch_table(request, pk: int):
    batch = selectors.batch_in_scope(pk, request.scope.visible_ids)
    table = comparison_table([r.result for r in batch.reports.all()])
    return xlsx_response(write_table_bytes(table, batch.name), f"{batch.name}-指标对照表.xlsx")


@require_POST
def batch_delete(request, pk: int):
    batch = selectors.batch_in_scope(pk, request.scope.visible_ids)
    services.batch_delete(batch, actor=request.user, visible_ids=request.scope.visible_ids)
    messages.success(request, f"已删除“{batch.name}”。")
    return redirect("reports:analysis_list")


def report_detail(request, pk: int):
    report = selectors.report_in_scope(pk, request.scope.visible_ids)
    result = report.result
    catalogue = indicators()
    facts = [
        {**f, "index": i, "indicator_name": catalogue[f["indicator"]].name if f["indicator"] else ""}
        for i, f in enumerate(result["facts"])
    ]
    parts = [
        {
            **p,
            "name": national_rule(f"annual_report.part.{p['part']}").name,
            "optional": p["part"] in OPTIONAL_PARTS,
        }
        for p in result["parts"]
    ]
    context = {
        "report": report,
        "result": result,
        "facts": facts,
        "parts": parts,
        "checks": sorted(result["checks"], key=lambda c: c["ok"]),
        "segments": segments(report.text, result["facts"], result["checks"]),
    }
    # a report of a unit Fazhi holds data for: its figures beside the registers' (design.md §8)
    unit = selectors.unit_named(result["unit"], request.scope.visible_ids)
    if unit is not None and result["year"]:
        context["registered_unit"] = unit
        context["differences"] = against_registers(result, unit, result["year"])
    return render(request, "reports/report_detail.html", context)
