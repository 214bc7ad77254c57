"""The contract every register keeps, checked for each one in ``REGISTRY`` (issue 10, deliverable 9): a
register declared later gets these tests without writing any.

Items come from ``fazhi.registers.testing`` (generic values from the declaration, or the register's
factory and recipe in its app's ``tests/factories.py``); everything is written through the services a
page uses, except the many rows of the page-cost tests, which are bulk-created copies."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.cli import main
from fazhi.org.scope import SESSION_KEY
from fazhi.registers import excel, services
from fazhi.registers.checks import BOOKKEEPING, check_registers, register_problems
from fazhi.registers.present import display
from fazhi.registers.spec import REGISTRY, filter_choices
from fazhi.registers.testing import (
    GAP,
    RECIPES,
    START,
    clones,
    covering_walks,
    end_state,
    main_path,
    personal_data_columns,
    timeline_of,
    varying_key_field,
)

pytestmark = pytest.mark.django_db

# Framework bugs the contract tests found: (test, register key) → what goes wrong. The case runs and
# must fail (strict xfail) until the bug is fixed; then its mark is removed here.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def registers(test: str):
    """One parameter per register, xfail where KNOWN_BUGS says so."""
    params = []
    for spec in REGISTRY.values():
        reason = KNOWN_BUGS.get((test, spec.key)) or KNOWN_BUGS.get((test, "*"))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(spec, id=spec.key, marks=marks))
    return params


def unit_of(county):
    """Where the township's items are kept: its 司法所."""
    return county["changgang_office"]


# -- 1. the workflow, through the services ------------------------------------------------------------
@pytest.mark.parametrize("spec", registers("walk"))
def test_every_step_is_taken_on_the_way_to_a_closed_state(spec, county, maker):
    workflow = spec.workflow
    assert spec.model_field("status").choices == workflow.choices
    walks = covering_walks(workflow)
    every_step = {(source, step) for source, steps in workflow.steps.items() for step in steps}
    taken = set()
    for walk in walks:
        item = maker.create(spec, unit_of(county))
        assert (item.status, item.version) == (workflow.initial, 1)
        dates = maker.walk(spec, item, walk)
        item.refresh_from_db()
        assert item.status == end_state(workflow, walk)
        assert item.status in workflow.closed or not any(workflow.paths_to(s) for s in workflow.closed)
        assert item.version == 1 + len(walk)
        expected = [("", workflow.initial, "登记", None)]
        state = workflow.initial
        for step, on in zip(walk, dates, strict=True):
            expected.append((state, step.to, step.label, on))
            taken.add((state, step))
            state = step.to
        assert timeline_of(item) == expected
        assert {to for _, to, _, _ in expected} <= set(workflow.states)
        for step, on in zip(walk, dates, strict=True):
            if step.date_field and step is [s for s in walk if s.date_field == step.date_field][-1]:
                assert getattr(item, step.date_field) == on, step.label
    assert taken == every_step
    with pytest.raises(IntegrityError), transaction.atomic():  # the database keeps to the states too
        spec.model.objects.filter(pk=item.pk).update(status="no-such-state")


@pytest.mark.parametrize("spec", registers("replay"))
def test_a_record_given_in_a_later_state_replays_the_steps(spec, county, maker):
    """As an import of a historical record does: the steps' effects run, the timeline has them, and
    the record is the one the steps made."""
    path = main_path(spec.workflow)
    if not path:
        pytest.skip("no step leads to a closed state")
    walked = maker.create(spec, unit_of(county))
    dates = maker.walk(spec, walked, path)
    walked.refresh_from_db()
    target = end_state(spec.workflow, path)
    draft = maker.copy(spec, walked, status=target)
    replayed = maker.save(spec, draft)
    replayed.refresh_from_db()
    assert replayed.status == target and replayed.version == 1
    key_field = varying_key_field(spec)  # the copy's natural key is its own
    skip = BOOKKEEPING | {"version", key_field.name if key_field else None}
    for f in spec.model._meta.concrete_fields:
        if f.name not in skip:
            assert getattr(replayed, f.attname) == getattr(walked, f.attname), f.name
    steps = [(old, new, label) for old, new, label, _ in timeline_of(replayed)]
    state, expected = spec.workflow.initial, [("", spec.workflow.initial, "登记")]
    for step in path:
        expected.append((state, step.to, step.label))
        state = step.to
    assert steps == expected
    dated = [
        on for (_, _, _, on), step in zip(timeline_of(replayed)[1:], path, strict=True) if step.date_field
    ]
    assert dated == [on for on, step in zip(dates, path, strict=True) if step.date_field]


SPOILED = [
    pytest.param(REGISTRY[key], state, spoil, id=f"{key}-{state}")
    for key, recipe in RECIPES.items()
    if key in REGISTRY
    for state, spoil in recipe.spoil.items()
]


@pytest.mark.parametrize(("spec", "state", "spoil"), SPOILED)
def test_a_record_given_in_a_later_state_is_refused_as_the_step_refuses_it(spec, state, spoil, county, maker):
    """E.g. a 重大行政决策 given as decided with a review that found it 不合法."""
    unit = unit_of(county)
    path = spec.workflow.paths_to(state)[0]
    on = START + len(path) * GAP
    bad = spoil(maker, unit, START)
    item = maker.create(spec, unit, **{k: v for k, v in bad.items() if k in spec.form_fields})
    maker.walk(spec, item, path[:-1], values=bad)
    last = path[-1]
    values = maker.step_values(spec, item, last, on)
    with pytest.raises(ValidationError) as refused:
        maker.step(spec, item, last, on, **values)
    [message] = refused.value.messages
    item.refresh_from_db()
    date_values = {last.date_field: on} if last.date_field else {}
    draft = maker.copy(spec, item, status=state, **values, **date_values)
    with pytest.raises(ValidationError) as replayed:
        maker.save(spec, draft)
    assert replayed.value.message_dict == {"status": [f"“{last.label}”：{message}"]}
    assert not spec.model.objects.filter(pk__gt=item.pk).exists()


# -- 2. the pages, at a bounded cost --------------------------------------------------------------------
PAGE_QUERIES = 25  # any register page as a township user (session, user and scope included)
EXPORT_QUERIES = 10  # the export of 1,000 items


def _full_item(spec, county, maker):
    """An item walked along the register's longest path: every field and link filled in."""
    item = maker.create(spec, unit_of(county))
    maker.walk(spec, item, main_path(spec.workflow))
    item.refresh_from_db()
    return item


@pytest.fixture
def get(client, django_assert_max_num_queries):
    """GET a page within ``limit`` queries: its response and what it cost."""

    def get(url, limit=PAGE_QUERIES, status=200):
        with django_assert_max_num_queries(limit) as queries:
            response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response, len(queries)

    return get


WARM_UP = 100  # the first request of a session writes it: not what a page costs


@pytest.mark.parametrize("spec", registers("pages"))
def test_pages_render_at_a_bounded_cost(spec, county, maker, changgang_user, client, get):
    client.force_login(changgang_user)
    list_url = reverse("registers:list", args=[spec.key])
    get(list_url, WARM_UP)
    item = _full_item(spec, county, maker)
    clones(spec, item, 4)
    page, few = get(list_url)
    assert "共 5 条" in page.content.decode()
    clones(spec, item, 55, first=5)
    page, _ = get(list_url, few)  # twelve times the rows, not one query more
    assert "共 60 条" in page.content.decode()

    fresh = maker.create(spec, unit_of(county))  # every entered field, link, many-to-many and child row
    page, _ = get(reverse("registers:detail", args=[spec.key, fresh.pk]))
    assert spec.title(fresh) in page.content.decode()

    create_url = reverse("registers:create", args=[spec.key])
    if spec.create_url_name:  # made by a page of its own (the annual report's draft)
        page, _ = get(create_url, status=302)
        assert page["Location"] == reverse(spec.create_url_name)
    else:
        page, _ = get(create_url)
        assert f"新增{spec.item_label}" in page.content.decode()

    states = [spec.workflow.initial] + [step.to for step in main_path(spec.workflow)]
    for state in dict.fromkeys(states):
        [at] = clones(spec, item, 1, first=100)
        spec.model.objects.filter(pk=at.pk).update(status=state)
        at.refresh_from_db()
        for step in spec.workflow.steps_from(state):
            url = reverse("registers:transition", args=[spec.key, at.pk, step.to])
            if not step.applies_to(at):  # not offered to this item: back to its page
                get(url, status=302)
                continue
            page, _ = get(url)
            assert step.label in page.content.decode(), (state, step.label)
        spec.model.objects.filter(pk=at.pk).delete()

    page, _ = get(reverse("registers:export", args=[spec.key]))
    assert load_workbook(io.BytesIO(page.content)).active.max_row == 2 + 60 + 1  # title and header rows


@pytest.mark.parametrize("spec", registers("detail history"))
def test_the_detail_page_costs_the_same_however_often_the_item_changed(spec, county, maker, changgang_user,
                                                                       client, get):  # fmt: skip
    client.force_login(changgang_user)
    item = _full_item(spec, county, maker)
    url = reverse("registers:detail", args=[spec.key, item.pk])
    get(url, WARM_UP)
    _, before = get(url)
    for n in range(5):
        item.note = f"第{n + 1}次核对台账"
        services.item_update(
            spec, item, actor=maker.actor, scope_ids=maker.scope_ids, read_version=item.version
        )
    page, _ = get(url, before)  # five more versions, not one query more
    assert "第5次核对台账" in page.content.decode()


@pytest.mark.parametrize("spec", registers("export 1000"))
def test_an_export_of_a_thousand_items_takes_at_most_ten_queries(spec, county, maker, changgang_user, client,
                                                                 get):  # fmt: skip
    client.force_login(changgang_user)
    url = reverse("registers:export", args=[spec.key])
    get(url, WARM_UP)
    item = _full_item(spec, county, maker)
    clones(spec, item, 999)
    page, _ = get(url, EXPORT_QUERIES)
    assert load_workbook(io.BytesIO(page.content), read_only=True).active.max_row == 2 + 1000


# -- 3. template → import → export ------------------------------------------------------------------------
def _item_set(spec, county, maker):
    """One item along each walk that together take every step: items in every state the steps reach."""
    items = []
    for walk in covering_walks(spec.workflow):
        item = maker.create(spec, unit_of(county))
        maker.walk(spec, item, walk)
        item.refresh_from_db()
        items.append(item)
    return items


def _fill_template(spec, items, viewer) -> bytes:
    """The register's own template with the items typed into its sheets, as presented to ``viewer``."""
    book = load_workbook(io.BytesIO(excel.template_bytes(spec)))
    sheet = book.worksheets[0]
    columns = list(spec.import_columns)
    assert [c.value for c in sheet[1]] == [excel.header(spec, c) for c in columns]
    for item in items:
        sheet.append([display(spec, item, c.field, viewer) for c in columns])
    for child in spec.children:
        child_sheet = book[child.label]
        key = spec.natural_key[0]
        for item in items:
            for row in child.model._default_manager.filter(**{child.fk: item}):
                child_sheet.append(
                    [getattr(item, key)] + [excel.child_display(child, row, c) for c in child.columns]
                )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(data: bytes, sheet_name=None, headers=None) -> list[tuple]:
    """A sheet's rows as {header: value} restricted to ``headers``, sorted, for comparing."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[sheet_name] if sheet_name else book.worksheets[0]
    rows = list(sheet.values)
    if rows and sum(v is not None for v in rows[0]) == 1 and len(rows) > 1:
        rows = rows[1:]  # an export's title row over its headers
    names = [str(h) for h in rows[0]]
    wanted = headers or names
    result = []
    for row in rows[1:]:
        cells = dict(zip(names, row, strict=False))
        result.append(tuple((h, "" if cells.get(h) is None else cells.get(h)) for h in wanted))
    return sorted(result, key=repr)


@pytest.mark.parametrize("spec", registers("round trip"))
def test_template_import_export_round_trip(spec, county, maker, privileged_user, client):
    items = _item_set(spec, county, maker)
    typed = _fill_template(spec, items, privileged_user)
    spec.model.objects.filter(pk__in=[i.pk for i in items]).delete()
    client.force_login(privileged_user)
    upload = SimpleUploadedFile(f"{spec.label}.xlsx", typed)
    response = client.post(reverse("registers:import", args=[spec.key]), {"file": upload})
    errors = response.context["errors"] if response.status_code == 200 else []
    assert (response.status_code, errors) == (302, []), errors
    assert spec.model.objects.count() == len(items)
    exported = client.get(reverse("registers:export", args=[spec.key])).content
    headers = [excel.header(spec, c) for c in spec.import_columns]
    assert _rows(exported, headers=headers) == _rows(typed, headers=headers)
    for child in spec.children:
        assert _rows(exported, child.label) == _rows(typed, child.label)


# -- 4. one township cannot reach another's records -----------------------------------------------------
def _names(page: str, name: str) -> bool:
    """Whether ``page`` shows ``name`` itself (赵丽娟1, not the 赵丽娟10 of another person)."""
    return re.search(re.escape(name) + r"(?!\d)", page) is not None


@pytest.mark.parametrize("spec", registers("scoping"))
def test_a_township_user_cannot_see_change_export_or_import_another_townships_records(
    spec, county, maker, hekou_maker, changgang_user, client, media
):
    ours = maker.create(spec, unit_of(county))
    theirs = hekou_maker.create(spec, county["hekou"])  # at its first state: every first step is open
    their_person = hekou_maker.person(county["hekou"])
    # what names their record on a page: its number, else its title (a year such as 2025 could be any
    # number on the page, e.g. a unit's id on PostgreSQL)
    keys = [str(getattr(theirs, f)) for f in spec.natural_key if len(str(getattr(theirs, f))) > 4]
    their_key = keys[0] if keys else spec.title(theirs)
    client.force_login(changgang_user)

    # see: not in the list, even with 河口镇 chosen in the unit switcher; its page is refused
    list_url = reverse("registers:list", args=[spec.key])
    for chosen in (None, county["hekou"].pk):
        if chosen:
            session = client.session
            session[SESSION_KEY] = chosen
            session.save()
        page = client.get(list_url).content.decode()
        assert spec.title(ours) in page and spec.title(theirs) not in page and "共 1 条" in page
    assert client.get(reverse("registers:detail", args=[spec.key, theirs.pk])).status_code == 403

    # change: edit and every step refused, by page and by service
    before = spec.model.objects.values().get(pk=theirs.pk)
    edit = reverse("registers:edit", args=[spec.key, theirs.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"version": theirs.version, "note": "长冈乡改的"}).status_code == 403
    for step in spec.workflow.steps_from(theirs.status):
        url = reverse("registers:transition", args=[spec.key, theirs.pk, step.to])
        assert client.get(url).status_code == 403
        assert client.post(url, {"on": "2025-06-02", "expected_status": theirs.status}).status_code == 403
        values = hekou_maker.step_values(spec, theirs, step, START + GAP)  # what 河口镇 could fill in
        with pytest.raises(PermissionDenied):
            services.item_transition(
                spec, theirs, step.to, actor=changgang_user, scope_ids=maker.scope_ids, on=START + GAP,
                values=values,
            )  # fmt: skip
    theirs.note = "长冈乡改的"
    with pytest.raises(PermissionDenied):
        services.item_update(spec, theirs, actor=changgang_user, scope_ids=maker.scope_ids)
    with pytest.raises(PermissionDenied):
        maker.create(spec, county["hekou"])
    assert spec.model.objects.values().get(pk=theirs.pk) == before

    # nor link to their people or records, nor be offered them
    if not spec.create_url_name:
        page = client.get(reverse("registers:create", args=[spec.key])).content.decode()
        assert not _names(page, their_person.name) and county["hekou"].name not in page.split("<form", 1)[1]
    for step in spec.workflow.steps_from(ours.status):
        page = client.get(reverse("registers:transition", args=[spec.key, ours.pk, step.to])).content.decode()
        assert not _names(page, their_person.name) and their_key not in page
    links = [c.field for c in spec.columns if c.field != "unit" and spec.model_field(c.field).is_relation]
    full = None
    for name in links:
        their_link = hekou_maker.value(spec.model, name, county["hekou"], 1, START, spec)
        if name in spec.form_fields:
            draft = maker.draft(spec, unit_of(county), **{name: their_link})
            with pytest.raises(ValidationError) as refused:
                maker.save(spec, draft)
            assert "不在您的权限范围内" in refused.value.message_dict[name][0]
        for source, steps in spec.workflow.steps.items():
            for step in (s for s in steps if name in s.requires):
                full = full or _full_item(spec, county, maker)
                [at] = clones(spec, full, 1, first=100)  # every field filled in, at the step's state
                spec.model.objects.filter(pk=at.pk).update(status=source)
                at.refresh_from_db()
                with pytest.raises(ValidationError) as refused:
                    maker.step(spec, at, step, START + 8 * GAP, **{name: their_link})  # after the walk
                errors = refused.value.message_dict
                assert "不在您的权限范围内" in errors.get(name, [""])[0], (step.label, errors)
                spec.model.objects.filter(pk=at.pk).delete()

    # export: only ours
    exported = load_workbook(io.BytesIO(client.get(reverse("registers:export", args=[spec.key])).content))
    cells = {str(v) for row in exported.active.iter_rows(min_row=3, values_only=True) for v in row if v}
    mine = spec.model.objects.filter(unit_id__in=maker.scope_ids).count()
    assert (
        exported.active.max_row == 2 + mine and spec.title(ours) in cells and spec.title(theirs) not in cells
    )

    # import into theirs: refused by row, nothing written
    draft = hekou_maker.draft(spec, county["hekou"])
    row = [
        "" if spec.model_field(c.field).many_to_many else display(spec, draft.item, c.field)
        for c in spec.import_columns
    ]
    book = load_workbook(io.BytesIO(excel.template_bytes(spec)))
    book.worksheets[0].append(row)
    out = io.BytesIO()
    book.save(out)
    count = spec.model.objects.count()
    upload = SimpleUploadedFile("河口镇.xlsx", out.getvalue())
    response = client.post(reverse("registers:import", args=[spec.key]), {"file": upload})
    assert response.status_code == 200
    assert any("河口镇" in e and "权限范围" in e for e in response.context["errors"]), response.context[
        "errors"
    ]
    assert spec.model.objects.count() == count

    # and the same on the command line
    path = media / "河口镇.xlsx"
    path.write_bytes(out.getvalue())
    assert main(["import", spec.key, str(path), "--user", changgang_user.username]) == 2
    assert spec.model.objects.count() == count
    exported_path = media / "export.xlsx"
    assert main(["export", spec.key, "--user", changgang_user.username, "--out", str(exported_path)]) == 0
    exported = load_workbook(exported_path).active
    cells = {str(v) for row in exported.iter_rows(min_row=3, values_only=True) for v in row if v}
    assert exported.max_row == 2 + mine and spec.title(theirs) not in cells
    assert main(["export", spec.key, "--user", changgang_user.username, "--unit", county["hekou"].code]) == 2


# -- 5. personal data -----------------------------------------------------------------------------------
def personal(test: str):
    """One parameter per personal-data field of each register (a register without one has none)."""
    return [
        pytest.param(param.values[0], name, id=f"{param.id}-{name}", marks=param.marks)
        for param in registers(test)
        for name in personal_data_columns(param.values[0])
    ]


def _personal_item(spec, name, county, maker):
    item = maker.create(spec, unit_of(county))
    value = getattr(item, name)
    assert value, f"the maker left {name} empty"
    return item, value, spec.model_field(name).mask(value)


@pytest.mark.parametrize(("spec", "name"), personal("masking"))
def test_personal_data_is_masked_unless_the_user_may_see_it(spec, name, county, maker, changgang_user,
                                                            privileged_user, client):  # fmt: skip
    item, full, masked = _personal_item(spec, name, county, maker)
    assert masked != full
    listed = name in spec.list_columns
    for user, shown, hidden in ((changgang_user, masked, full), (privileged_user, full, None)):
        client.force_login(user)
        page = client.get(reverse("registers:list", args=[spec.key])).content.decode()
        assert (shown in page) is listed and (hidden is None or hidden not in page), user
        page = client.get(reverse("registers:detail", args=[spec.key, item.pk])).content.decode()
        assert shown in page and (hidden is None or hidden not in page), user
        exported = load_workbook(io.BytesIO(client.get(reverse("registers:export", args=[spec.key])).content))
        cells = [str(v) for row in exported.active.iter_rows(values_only=True) for v in row if v]
        assert shown in cells and (hidden is None or hidden not in cells), user
        assert display(spec, item, name, user) == shown


@pytest.mark.parametrize(("spec", "name"), personal("audit masking"))
def test_personal_data_is_masked_in_the_audit_trail_too(spec, name, county, maker, changgang_user, client):
    item, first, _ = _personal_item(spec, name, county, maker)
    setattr(item, name, "13905710000" if "phone" in name else "")
    services.item_update(spec, item, actor=maker.actor, scope_ids=maker.scope_ids, read_version=item.version)
    client.force_login(changgang_user)
    page = client.get(reverse("registers:detail", args=[spec.key, item.pk])).content.decode()
    assert first not in page and "13905710000" not in page


@pytest.mark.parametrize("spec", registers("filters"))
def test_every_list_filter_offers_its_values_and_keeps_the_matching_items(spec, county, maker, changgang_user,
                                                                         client):  # fmt: skip
    item = maker.create(spec, unit_of(county))
    client.force_login(changgang_user)
    list_url = reverse("registers:list", args=[spec.key])
    for name in spec.filter_fields:
        offered = filter_choices(spec.model_field(name))
        assert len(offered) >= 2, name
        stored = spec.model_field(name).to_python(getattr(item, name))
        for value, label in offered:
            page = client.get(list_url, {name: value}).content.decode()
            assert f'<option value="{value}" selected>{label}</option>' in page, (name, value)
            matches = spec.model_field(name).to_python(value) == stored
            assert ("共 1 条" if matches else "共 0 条") in page, (name, value, stored)


# -- 6. the declaration ---------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", registers("declaration"))
def test_every_model_field_is_a_column_or_excluded(spec):
    assert register_problems(spec) == []


def test_the_start_up_check_passes_and_reports_a_misspelt_column():
    assert check_registers() == []
    for spec in REGISTRY.values():
        column = next(c for c in spec.columns if c.field != "unit")
        typo = dataclasses.replace(column, field=column.field + "x")
        broken = dataclasses.replace(spec, columns=tuple(typo if c is column else c for c in spec.columns))
        problems = register_problems(broken)
        assert f"column {typo.field!r} is not a field of {spec.model.__name__}" in problems, spec.key
        assert f"field {column.field!r} is in no column and not excluded" in problems, spec.key
        assert REGISTRY[spec.key] is spec  # the copy was not registered


def test_the_start_up_check_reports_a_step_condition_on_no_choice():
    spec = REGISTRY["enforcement-cases"]
    steps = {
        state: tuple(dataclasses.replace(s, when=("outcome", ("no-such",))) if s.when else s for s in steps)
        for state, steps in spec.workflow.steps.items()
    }
    broken = dataclasses.replace(spec, workflow=dataclasses.replace(spec.workflow, steps=steps))
    assert "step '执行' applies when 'outcome' is not a choice of it" in register_problems(broken)
    assert register_problems(spec) == []
