from django import forms
from django.shortcuts import render

from fazhi.core.formats import cn_date
from fazhi.core.xlsx import table_xlsx, xlsx_response
from fazhi.registers.deadlines import today
from fazhi.rules.services import effective_rule

from . import selectors


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    show = forms.ChoiceField(label="范围", choices=[("short", "学时不足的人员"), ("all", "全部持证人员")])


def training_hours(request):
    """培训学时核查: holders of a valid certificate short of the yearly hours (rule
    enforcement.training_hours), on the page and as Excel."""
    now = today()
    form = YearForm(request.GET or {"year": now.year, "show": "short"})
    if not form.is_valid():
        return render(request, "enforcement/training_hours.html", {"form": form})
    year, show = form.cleaned_data["year"], form.cleaned_data["show"]
    unit = request.scope.unit
    rows = selectors.training_hours(request.scope.unit_ids, year, unit)
    passed = sum(1 for row in rows if row.hours >= row.required)
    if show == "short":
        rows = [row for row in rows if row.hours < row.required]
    rule = effective_rule("enforcement.training_hours", unit=unit).rule
    if request.GET.get("format") == "xlsx":
        headers = [
            "序号",
            "所属单位",
            "姓名",
            "证件编号",
            "执法领域",
            "有效期至",
            "年度培训学时",
            "应达学时",
            "差额",
        ]
        data = [
            [
                i,
                r.certificate.unit.name,
                r.person.name,
                r.certificate.number,
                r.certificate.get_field_display(),
                r.certificate.expires_on,
                float(r.hours),
                float(r.required),
                float(r.short),
            ]
            for i, r in enumerate(rows, start=1)
        ]
        return xlsx_response(
            table_xlsx(f"{year}年培训学时核查", headers, data), f"{unit.name}{year}年培训学时核查.xlsx"
        )
    context = {
        "form": form,
        "year": year,
        "rows": rows,
        "rule": rule,
        "passed": passed,
        "query": request.GET.urlencode() or f"year={year}&show={show}",
    }
    return render(request, "enforcement/training_hours.html", context)


def expiring(request):
    """临期执法证: certificates in force that expire within the notice window."""
    now = today()
    unit = request.scope.unit
    certificates = selectors.expiring(request.scope.unit_ids, now, unit)
    rule = effective_rule("enforcement.certificate_expiry_notice", unit=unit).rule
    if request.GET.get("format") == "xlsx":
        headers = ["序号", "所属单位", "姓名", "证件编号", "执法领域", "发证机关", "有效期至"]
        data = [
            [i, c.unit.name, c.holder.name, c.number, c.get_field_display(), c.issuer, c.expires_on]
            for i, c in enumerate(certificates, start=1)
        ]
        return xlsx_response(
            table_xlsx("临期执法证", headers, data), f"{unit.name}临期执法证（{cn_date(now)}）.xlsx"
        )
    context = {"certificates": certificates, "rule": rule, "today": now}
    return render(request, "enforcement/expiring.html", context)
