"""``Register.check_related``: a register's own check of an item with its many-to-many values, run on
create, edit, every step and the import, after ``validate`` and before anything is written; and
``Register.linkable_below``: records of a unit above the item's own may be linked."""

import dataclasses
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from fazhi.casereview.models import CaseFileReview
from fazhi.casereview.registers import CASE_FILE_REVIEWS
from fazhi.discretion.models import DiscretionItem
from fazhi.discretion.tests.factories import DiscretionItemFactory
from fazhi.enforcement.models import EnforcementCase
from fazhi.enforcement.registers import CASES
from fazhi.org.tests.factories import PersonFactory
from fazhi.registers import excel, services
from fazhi.registers.testing import START, first_path

pytestmark = pytest.mark.django_db


class Hook:
    """Records what it was called with; refuses an item with a reviewer named 拒绝."""

    def __init__(self):
        self.calls: list[tuple[str, list[str]]] = []

    def __call__(self, item, values):
        assert item.pk is None or CaseFileReview.objects.filter(pk=item.pk).exists()
        names = sorted(p.name for p in values["reviewers"])
        self.calls.append((item.number, names))
        if "拒绝" in names:
            raise ValidationError({"reviewers": "评查人员“拒绝”不能参加评查。"})


@pytest.fixture
def hooked():
    hook = Hook()
    return dataclasses.replace(CASE_FILE_REVIEWS, check_related=hook), hook


def test_the_hook_sees_every_many_to_many_value_on_each_write_and_refuses_before_writing(
    hooked, maker, county, changgang_user
):
    spec, hook = hooked
    office = county["changgang_office"]
    good, bad = PersonFactory(unit=office, name="评查甲"), PersonFactory(unit=office, name="拒绝")
    draft = maker.draft(spec, office)
    with pytest.raises(ValidationError) as refused:
        services.item_create(
            spec,
            draft.item,
            actor=changgang_user,
            scope_ids=maker.scope_ids,
            related={"reviewers": [good, bad]},
        )
    assert refused.value.message_dict["reviewers"] == ["评查人员“拒绝”不能参加评查。"]
    assert not CaseFileReview.objects.exists() and hook.calls == [(draft.item.number, ["拒绝", "评查甲"])]
    draft.item.pk = None
    item = services.item_create(
        spec, draft.item, actor=changgang_user, scope_ids=maker.scope_ids, related={"reviewers": [good]}
    )
    # an edit that does not touch the reviewers: the hook sees the stored ones
    item.opinion = "改"
    services.item_update(spec, item, actor=changgang_user, scope_ids=maker.scope_ids)
    assert hook.calls[-1] == (item.number, ["评查甲"])
    with pytest.raises(ValidationError):
        services.item_update(
            spec, item, actor=changgang_user, scope_ids=maker.scope_ids, related={"reviewers": [bad]}
        )
    assert [p.name for p in CaseFileReview.objects.get(pk=item.pk).reviewers.all()] == ["评查甲"]
    # a step sees the stored reviewers too
    step = first_path(spec.workflow)[0]
    maker.step(spec, item, step, START + timedelta(days=5))
    assert hook.calls[-1] == (item.number, ["评查甲"])


def test_the_import_runs_the_hook_on_each_row(hooked, county, changgang_user, maker):
    spec, hook = hooked
    PersonFactory(unit=county["changgang_office"], name="拒绝")
    book = load_workbook(io.BytesIO(excel.template_bytes(spec)))
    heads = [c.value for c in book.worksheets[0][1]]
    values = {
        "被评查单位": "长冈乡司法所",
        "评查编号": "导1",
        "评查机关": "青山县司法局",
        "案卷名称及文号": "超限运输案",
        "评查日期": "2025-03-03",
        "评查人员": "拒绝",
        "状态": "评查中",
    }
    book.worksheets[0].append([values.get(h, "") for h in heads])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(excel.ImportFailed) as failed:
        excel.import_workbook(
            spec, out.getvalue(), "评查.xlsx", actor=changgang_user, scope_ids=maker.scope_ids
        )
    assert any("第2行" in m and "不能参加评查" in m for m in failed.value.messages)
    assert hook.calls == [("导1", ["拒绝"])] and not CaseFileReview.objects.exists()


def test_a_record_of_a_unit_above_may_be_linked_only_where_declared(county, maker, changgang_user):
    assert services.linkable_unit_ids(EnforcementCase, maker.scope_ids) == maker.scope_ids
    above = DiscretionItemFactory(unit=county["county"], start=date(2024, 1, 1))
    assert county["county"].pk not in maker.scope_ids
    assert county["county"].pk in services.linkable_unit_ids(DiscretionItem, maker.scope_ids)
    case = maker.draft(CASES, county["changgang_office"]).item
    case.discretion_item = above
    case.status = CASES.workflow.initial
    services.validate(CASES, case, scope_ids=maker.scope_ids)  # no scope message for the county's item
    # a record of a unit beside the item's own, out of the writer's scope, is refused as ever
    case.discretion_item = DiscretionItemFactory(unit=county["hekou"], start=date(2024, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.validate(CASES, case, scope_ids=maker.scope_ids)
    assert "所选适用的裁量基准不在您的权限范围内。" in refused.value.message_dict["discretion_item"]
