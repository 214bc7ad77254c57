from django import forms
from django.shortcuts import render

from fazhi.core.xlsx import xlsx_response
from fazhi.registers.deadlines import today

from .filing_catalogue import CatalogueRequest, catalogue_documents, catalogue_xlsx


class CatalogueForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    period = forms.ChoiceField(label="目录", choices=[("h1", "上半年（1—6月）"), ("year", "全年")])


def catalogue(request):
    """发文目录 of the unit's normative documents for a half year or a year, previewed and as Excel."""
    now = today()
    form = CatalogueForm(request.GET or {"year": now.year, "period": "h1" if now.month > 6 else "year"})
    if not form.is_valid():
        return render(request, "decisions/catalogue.html", {"form": form})
    year, period = form.cleaned_data["year"], form.cleaned_data["period"]
    if period == "year" and "year" not in request.GET and now.month <= 6:
        year = now.year - 1
    catalogue_request = CatalogueRequest(year, period == "h1")
    documents = catalogue_documents(request.scope.unit_ids, catalogue_request)
    unit = request.scope.unit
    if request.GET.get("format") == "xlsx":
        data = catalogue_xlsx(unit, documents, catalogue_request)
        return xlsx_response(data, f"{unit.name}{catalogue_request.title}.xlsx")
    context = {
        "form": form,
        "request_": catalogue_request,
        "documents": documents,
        "due": catalogue_request.due(unit),
        "query": request.GET.urlencode(),
    }
    return render(request, "decisions/catalogue.html", context)
