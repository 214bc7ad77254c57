"""Pages open to the public without login: the 行政执法决定公示 and an index of what is published."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from fazhi.registers.deadlines import today

from . import selectors
from .decorators import etag_of, public_page
from .query import public_filters


def _decisions_etag(request) -> str:
    filters = public_filters(request)
    cases = selectors.published_decisions(on=today(), unit=filters.unit, year=filters.year, q=filters.q)
    return etag_of(today(), request.GET.urlencode(), *selectors.state_of(cases))


@public_page(_decisions_etag)
def decisions(request):
    """行政执法决定公示: published decisions, newest first, 50 a page, by unit, year and keyword."""
    filters = public_filters(request)
    cases = selectors.published_decisions(on=today(), unit=filters.unit, year=filters.year, q=filters.q)
    page = Paginator(cases, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [selectors.public_row(c) for c in page.object_list],
        "units": selectors.units(),
        "filters": filters,
        "years": range(today().year, today().year - 6, -1),
        "query": request.GET.copy(),
    }
    context["query"].pop("page", None)
    return render(request, "publicity/decisions.html", context)


@public_page(lambda request: etag_of(today()))
def index(request):
    """信息公示: what this system publishes."""
    links = [
        (
            "行政执法决定公示",
            reverse("publicity:decisions"),
            "行政许可、行政处罚等执法决定的机关、对象、案由和结论。",
        ),
        (
            "双随机抽查结果公示",
            reverse("inspections:public_list"),
            "抽查计划、公布的名录摘要、随机种子、抽取结果和检查结果，可自行核验。",
        ),
    ]
    return render(request, "publicity/index.html", {"links": links})
