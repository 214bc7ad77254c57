"""Printing and sorting, for every register in ``REGISTRY`` (issue 11 §6): a print view of each list
and each item, with the list's filters, order, scoping and masking, at a cost that does not grow with
the rows; and lists sorted by a header, the order kept by the pages, the export and the print view.

Items come from ``fazhi.registers.testing`` as in the contract tests, so a register declared later is
tested here without a line of its own."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.registers import printing
from fazhi.registers.deadlines import today
from fazhi.registers.selectors import ListFilters, items_in, list_columns, parse_sort, sort_keys
from fazhi.registers.spec import REGISTRY
from fazhi.registers.testing import START, clones, main_path

from .test_contract import PAGE_QUERIES, WARM_UP, personal, registers, unit_of

pytestmark = pytest.mark.django_db

ODD_SORTS = ("nope", "-", "--due_date", "due_date-", "pk", "-pk", "unit__name", "password", "%00", "x" * 500)


def _full_item(spec, county, maker):
    item = maker.create(spec, unit_of(county))
    maker.walk(spec, item, main_path(spec.workflow))
    item.refresh_from_db()
    return item


def _pks(spec, html: str) -> list[int]:
    """The items of a list page or print view, in the order they are shown."""
    pattern = rf'href="/registers/{spec.key}/(\d+)/"|data-pk="(\d+)"'
    return [int(a or b) for a, b in re.findall(pattern, html)]


@pytest.fixture
def get(client, django_assert_max_num_queries):
    def get(url, limit=PAGE_QUERIES, status=200, **params):
        with django_assert_max_num_queries(limit) as queries:
            response = client.get(url, params)
        assert response.status_code == status, (url, params, response.status_code)
        return response, len(queries)

    return get


# -- the print views ----------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", registers("print"))
def test_print_views_show_the_scoped_list_and_item_on_a_bare_page(spec, county, maker, hekou_maker,
                                                                  changgang_user, client):  # fmt: skip
    ours = maker.create(spec, unit_of(county))
    theirs = hekou_maker.create(spec, county["hekou"])
    client.force_login(changgang_user)
    url = reverse("registers:print", args=[spec.key])
    page = client.get(url).content.decode()
    heading = f"青山县长冈乡 {spec.label}（截至{today().year}年"
    assert heading in page and '<th scope="col" class="col-number">序号</th>' in page
    assert _pks(spec, page) == [ours.pk] and spec.title(theirs) not in page and "共1条" in page
    for chrome in ('class="sidebar', "<nav", "<form", "navbar", "筛选</button>", "导出 Excel"):
        assert chrome not in page, chrome  # no navigation, header bar, filters or buttons of the site
    assert f"打印人：{changgang_user.display_name}（长冈乡）" in page and "打印日期：" in page
    assert 'href="/static/core/print.css"' in page and "bootstrap" not in page

    detail = client.get(reverse("registers:print_detail", args=[spec.key, ours.pk])).content.decode()
    assert f"青山县长冈乡司法所 {spec.item_label}登记表" in detail and spec.title(ours) in detail
    assert "序号" in detail and "登记" in detail  # the steps taken, numbered
    assert 'class="sidebar' not in detail and "<nav" not in detail and "<form" not in detail
    assert client.get(reverse("registers:print_detail", args=[spec.key, theirs.pk])).status_code == 403

    # the pages that lead there: the list keeps its query string, the detail page links its print
    listed = client.get(reverse("registers:list", args=[spec.key]), {"status": spec.workflow.initial})
    assert f'href="{url}?status={spec.workflow.initial}" target="_blank"' in listed.content.decode()
    shown = client.get(reverse("registers:detail", args=[spec.key, ours.pk])).content.decode()
    assert reverse("registers:print_detail", args=[spec.key, ours.pk]) in shown


@pytest.mark.parametrize("spec", registers("print filters"))
def test_the_print_view_applies_the_lists_filters_and_says_which(spec, county, maker, changgang_user, client):
    waiting = maker.create(spec, unit_of(county))
    moved = maker.create(spec, unit_of(county))
    step = spec.workflow.steps_from(spec.workflow.initial)[0]
    maker.walk(spec, moved, (step,))
    client.force_login(changgang_user)
    url = reverse("registers:print", args=[spec.key])
    initial = spec.workflow.label(spec.workflow.initial)
    page = client.get(url, {"status": spec.workflow.initial}).content.decode()
    assert _pks(spec, page) == [waiting.pk] and f"状态：{initial}" in page
    page = client.get(url, {"status": step.to, "sort": "-due_date"}).content.decode()
    assert _pks(spec, page) == [moved.pk] and "按期满日降序" in page
    if spec.year_field:
        year = START.year
        dated = [
            i.pk
            for i in spec.model.objects.filter(pk__in=[waiting.pk, moved.pk])
            if getattr(i, spec.year_field) and getattr(i, spec.year_field).year == year
        ]
        page = client.get(url, {"year": year}).content.decode()
        assert f"青山县长冈乡 {spec.label}（{year}年1月1日—{year}年12月31日）" in page
        assert sorted(_pks(spec, page)) == sorted(dated)
        assert _pks(spec, client.get(url, {"year": year - 3}).content.decode()) == []
    page = client.get(url, {"year": "abc", "status": "nope"}).content.decode()  # refused filters: all
    assert sorted(_pks(spec, page)) == sorted([waiting.pk, moved.pk])


@pytest.mark.parametrize(("spec", "name"), personal("print masking"))
def test_print_views_mask_personal_data_unless_the_user_may_see_it(spec, name, county, maker, changgang_user,
                                                                   privileged_user, client):  # fmt: skip
    item = maker.create(spec, unit_of(county))
    full = getattr(item, name)
    masked = spec.model_field(name).mask(full)
    assert full and masked != full
    listed = name in spec.list_columns
    for user, shown, hidden in ((changgang_user, masked, full), (privileged_user, full, None)):
        client.force_login(user)
        page = client.get(reverse("registers:print", args=[spec.key])).content.decode()
        assert (shown in page) is listed and (hidden is None or hidden not in page), user
        page = client.get(reverse("registers:print_detail", args=[spec.key, item.pk])).content.decode()
        assert shown in page and (hidden is None or hidden not in page), user


@pytest.mark.parametrize("spec", registers("print cost"))
def test_a_print_costs_the_same_however_many_rows(spec, county, maker, changgang_user, client, get):
    client.force_login(changgang_user)
    url = reverse("registers:print", args=[spec.key])
    get(url, WARM_UP)
    item = _full_item(spec, county, maker)
    clones(spec, item, 4)
    page, few = get(url)
    assert len(_pks(spec, page.content.decode())) == 5
    clones(spec, item, 95, first=5)
    page, _ = get(url, few, sort="-due_date")  # twenty times the rows, sorted: not one query more
    assert len(_pks(spec, page.content.decode())) == 100
    get(reverse("registers:print_detail", args=[spec.key, item.pk]))


@pytest.mark.parametrize("spec", registers("print cap"))
def test_a_print_of_more_rows_than_the_cap_prints_the_first_and_says_so(spec, county, maker, changgang_user,
                                                                        client, monkeypatch):  # fmt: skip
    monkeypatch.setattr(printing, "PRINT_LIMIT", 3)
    clones(spec, maker.create(spec, unit_of(county)), 4)
    client.force_login(changgang_user)
    page = client.get(reverse("registers:print", args=[spec.key])).content.decode()
    assert "共5条，打印前3条，请缩小筛选范围或导出Excel" in page and len(_pks(spec, page)) == 3


def test_the_cap_is_two_thousand_rows():
    assert printing.PRINT_LIMIT == 2000
    assert printing.capped_notice(2000) == ""
    assert printing.capped_notice(100_000) == "共100000条，打印前2000条，请缩小筛选范围或导出Excel。"


# -- sorting -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", registers("sortable"))
def test_sortable_columns_come_from_the_declaration(spec):
    keys = sort_keys(spec)
    shown = [name for name, _ in list_columns(spec)]
    assert {"unit", "status", "due_date"} <= set(keys) <= set(shown)
    for name in shown:
        model_field = spec.model_field(name)
        assert (name in keys) is (model_field.concrete and not model_field.many_to_many), name
    assert parse_sort(spec, "-due_date") == "-due_date" and parse_sort(spec, "due_date") == "due_date"
    for odd in (*ODD_SORTS, None, ["due_date"], 5):
        assert parse_sort(spec, odd) == "", odd


def _dated_rows(spec, county, maker, count=6):
    """Items of one walk with their due dates set apart (the last without one), in the states along
    the walk (where every field those states need is filled in), last first."""
    item = _full_item(spec, county, maker)
    rows = [item, *clones(spec, item, count - 1)]
    start = START + timedelta(days=400)
    states = list(dict.fromkeys([spec.workflow.initial, *(s.to for s in main_path(spec.workflow))]))
    for i, row in enumerate(rows):
        due = None if i == count - 1 else start - timedelta(days=7 * i)  # newest first: dates fall
        spec.model.objects.filter(pk=row.pk).update(due_date=due, status=states[-1 - i % len(states)])
    return rows


@pytest.mark.parametrize("spec", registers("sorting"))
def test_a_header_sorts_the_list_both_ways_and_the_order_is_kept(spec, county, maker, changgang_user, client):
    rows = _dated_rows(spec, county, maker)
    client.force_login(changgang_user)
    list_url = reverse("registers:list", args=[spec.key])
    plain = client.get(list_url).content.decode()
    default = _pks(spec, plain)
    assert default == sorted(default, reverse=True)  # newest first (created together: by pk)
    assert 'href="?sort=due_date"' in plain and 'href="?sort=status"' in plain

    by_due = [r.pk for r in reversed(rows[:-1])] + [rows[-1].pk]  # earliest first, the empty one last
    page = client.get(list_url, {"sort": "due_date"}).content.decode()
    assert _pks(spec, page) == by_due
    assert 'aria-sort="ascending"' in page and "▲" in page and 'href="?sort=-due_date"' in page
    page = client.get(list_url, {"sort": "-due_date"}).content.decode()
    assert _pks(spec, page) == [r.pk for r in rows[:-1]] + [rows[-1].pk]  # latest first, empty last
    assert 'aria-sort="descending"' in page and "▼" in page and 'href="?sort=due_date"' in page

    states = list(spec.workflow.states)
    rank = {pk: states.index(s) for pk, s in spec.model.objects.values_list("pk", "status")}
    page = client.get(list_url, {"sort": "status"}).content.decode()
    assert _pks(spec, page) == sorted(rank, key=lambda pk: (rank[pk], pk))  # the workflow's order

    # every sortable column, both ways, with the filters kept in its header links
    for key in sort_keys(spec):
        for sort in (key, f"-{key}"):
            response = client.get(list_url, {"sort": sort, "status": ""})
            assert response.status_code == 200 and sorted(_pks(spec, response.content.decode())) == sorted(
                default
            ), sort
            assert f"status=&amp;sort={sort.removeprefix('-') if sort.startswith('-') else '-' + key}" in (
                response.content.decode()
            )
        ordered = list(items_in(spec, maker.scope_ids, ListFilters(sort=key)).values_list("pk", flat=True))
        assert sorted(ordered) == sorted(default)

    # the print view and the export follow the same order
    printed = client.get(reverse("registers:print", args=[spec.key]), {"sort": "due_date"}).content.decode()
    assert _pks(spec, printed) == by_due and "按期满日升序" in printed
    exported = load_workbook(io.BytesIO(client.get(reverse("registers:export", args=[spec.key]),
                                                   {"sort": "due_date"}).content))  # fmt: skip
    sheet = exported.active
    column = [c.value for c in sheet[2]].index("期满日")
    dues = [row[column] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert dues == [*sorted(dues[:-1]), None]


@pytest.mark.parametrize("spec", registers("bad sort"))
def test_an_unknown_sort_value_is_ignored(spec, county, maker, changgang_user, client):
    _dated_rows(spec, county, maker, count=3)
    client.force_login(changgang_user)
    for name in ("list", "print", "export"):
        url = reverse(f"registers:{name}", args=[spec.key])
        plain = client.get(url)
        for odd in ODD_SORTS if name != "export" else ODD_SORTS[:3]:
            response = client.get(url, {"sort": odd, "year": "abc"})
            assert response.status_code == 200, (name, odd)
            if name != "export":
                assert _pks(spec, response.content.decode()) == _pks(spec, plain.content.decode()), odd
        assert client.get(f"{url}?sort=due_date&sort=nope").status_code == 200


def test_the_sort_is_kept_by_the_pages_links(county, maker, changgang_user, client):
    spec = REGISTRY["legality-reviews"]
    item = _full_item(spec, county, maker)
    clones(spec, item, 59)
    client.force_login(changgang_user)
    url = reverse("registers:list", args=[spec.key])
    page = client.get(url, {"sort": "-submitted_on", "status": item.status}).content.decode()
    assert "page=2" in page
    for link in re.findall(r'href="([^"]*page=2[^"]*)"', page):
        assert "sort=-submitted_on" in link and f"status={item.status}" in link
    for name in ("print", "export"):
        expected = (
            f"{reverse(f'registers:{name}', args=[spec.key])}?sort=-submitted_on&amp;status={item.status}"
        )
        assert expected in page
    assert '<input type="hidden" name="sort" value="-submitted_on">' in page  # the filter form keeps it
    second = client.get(url, {"sort": "-submitted_on", "page": 2}).content.decode()
    assert len(_pks(spec, second)) == 10
