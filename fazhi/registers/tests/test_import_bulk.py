"""What the import does in bulk, for files of 10⁵ rows, gives what row by row would: the stored keys a
file repeats are found however many queries read them, and each imported item gets its audit row."""

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import Workbook

from fazhi.inspections.credit_codes import make
from fazhi.inspections.models import InspectionObject
from fazhi.inspections.registers import INSPECTION_OBJECTS
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UserFactory
from fazhi.registers import bulk, excel
from fazhi.registers.excel import ImportFailed, header, import_workbook
from fazhi.registers.spec import Column

pytestmark = pytest.mark.django_db

SPEC = INSPECTION_OBJECTS
FIELDS = ["unit", "name", "credit_code", "kind", "industry", "region", "risk", "listed_on"]


def _workbook(unit_name: str, numbers: list[int]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SPEC.label
    columns = {c.field: c for c in SPEC.import_columns}
    sheet.append([header(SPEC, columns[f]) for f in FIELDS])
    for i in numbers:
        sheet.append(
            [unit_name, f"青山第{i}号经营户", make("91", "330102", i), "企业", "餐饮服务", "城关镇",
             "低风险（A类）", date(2024, 1, 2)]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def operator(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-op")


def test_a_file_repeating_stored_keys_is_refused_however_many_queries_read_them(
    county, operator, monkeypatch
):
    scope = subtree_ids(county["changgang"])
    office = county["changgang_office"].name
    import_workbook(SPEC, _workbook(office, [1, 2, 3, 4, 5]), "a.xlsx", actor=operator, scope_ids=scope)
    monkeypatch.setattr(excel, "KEYS_PER_QUERY", 2)  # the file's 5 keys in 3 queries
    with pytest.raises(ImportFailed) as failed:
        import_workbook(SPEC, _workbook(office, [7, 5, 8, 9, 1]), "b.xlsx", actor=operator, scope_ids=scope)
    head = header(SPEC, Column("credit_code"))
    assert failed.value.messages == [
        f"第3行「{head}」：本单位已有{head}“{make('91', '330102', 5)}”的检查对象，不能重复登记。",
        f"第6行「{head}」：本单位已有{head}“{make('91', '330102', 1)}”的检查对象，不能重复登记。",
    ]
    assert InspectionObject.objects.count() == 5
    # only the stored keys the file names are read, whatever else the register holds
    unit_id = county["changgang_office"].pk
    asked = {(unit_id, make("91", "330102", n)) for n in (2, 6)}
    assert excel._taken_keys(SPEC, scope, asked) == {(unit_id, make("91", "330102", 2))}


def test_every_imported_item_gets_its_audit_row_whether_its_ids_run_on_or_not(county, operator):
    scope = subtree_ids(county["changgang"])
    items = import_workbook(
        SPEC,
        _workbook(county["changgang_office"].name, [1, 2, 3, 4]),
        "a.xlsx",
        actor=operator,
        scope_ids=scope,
    )
    history = InspectionObject.history.model.objects
    assert sorted(history.filter(history_type="+").values_list("id", "history_change_reason")) == sorted(
        (item.pk, "导入") for item in items
    )
    # ids with a gap between them (an item in the middle is not among them) are copied by list
    gapped = [items[0], items[2], items[3]]
    assert bulk.insert_history(gapped, user_id=operator.pk, at=timezone.now(), reason="补记") == 3
    assert sorted(history.filter(history_change_reason="补记").values_list("id", flat=True)) == sorted(
        item.pk for item in gapped
    )
    assert history.get(id=items[2].pk, history_change_reason="补记").credit_code == items[2].credit_code
