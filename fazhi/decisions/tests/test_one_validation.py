"""One validation for every entry path: the same bad row typed into the form and imported from Excel
gets the same Chinese messages, from the same service (issue 10 §2)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook

from fazhi.decisions.models import LegalityReview
from fazhi.decisions.registers import LEGALITY_REVIEWS
from fazhi.registers.excel import ImportFailed, header, import_workbook

pytestmark = pytest.mark.django_db

FIELDS = ["unit", "number", "title", "kind", "submitter", "submitted_on", "contact_phone"]
BAD_ROWS = {
    "a number the unit already used": {"number": "长冈审〔2024〕7号"},
    "a submission ten years ahead": {"submitted_on": date(date.today().year + 10, 3, 1)},
    "no title": {"title": ""},
    "a phone number that is not one": {"contact_phone": "12345"},
}


def _row(county, **bad) -> dict:
    row = {
        "unit": county["changgang_office"],
        "number": "长冈审〔2024〕20号",
        "title": "关于殡葬改革的实施意见（送审稿）",
        "kind": "normative",
        "submitter": "乡民政办",
        "submitted_on": date(2024, 9, 26),
        "contact_phone": "13800138000",
    }
    return {**row, **bad}


def _form_errors(client, row) -> set[tuple[str, str]]:
    data = {name: (value.pk if hasattr(value, "pk") else value) for name, value in row.items()}
    data["opinion_count"] = 1
    response = client.post(reverse("registers:create", args=["legality-reviews"]), data)
    assert response.status_code == 200, "the bad row was saved"
    form = response.context["form"]
    return {
        (header(LEGALITY_REVIEWS, LEGALITY_REVIEWS.column(field)), message.rstrip("。"))
        for field, messages in form.errors.items()
        for message in messages
    }


def _import_errors(office_user, scope, row) -> set[tuple[str, str]]:
    book = Workbook()
    sheet = book.active
    columns = [LEGALITY_REVIEWS.column(f) for f in FIELDS]
    sheet.append([header(LEGALITY_REVIEWS, c) for c in columns])
    sheet.append([row[f].name if f == "unit" else row[f] for f in FIELDS])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFailed) as failed:
        import_workbook(LEGALITY_REVIEWS, out.getvalue(), "a.xlsx", actor=office_user, scope_ids=scope)
    found = set()
    for message in failed.value.messages:
        where, _, text = message.partition("：")
        found.add((where.split("「")[1].rstrip("」"), text.rstrip("。")))
    return found


@pytest.mark.parametrize("case", BAD_ROWS)
def test_the_form_and_the_import_refuse_a_bad_row_with_the_same_messages(
    case, client, county, office_user, scope, new_review
):
    new_review(number="长冈审〔2024〕7号")
    client.force_login(office_user)
    row = _row(county, **BAD_ROWS[case])
    by_form = _form_errors(client, row)
    assert by_form, case
    assert by_form == _import_errors(office_user, scope, row)
    assert LegalityReview.objects.count() == 1
