"""案卷评查数 and 整改单位数, computed by the engine, against hand-counted rows."""

from datetime import date

import pytest

from fazhi.casereview.models import CaseFileReview, Rectification
from fazhi.indicators.engine import compute

pytestmark = pytest.mark.django_db


def review(unit, n, on):
    return CaseFileReview.objects.create(
        unit=unit, number=f"P{n}", organ="县司法局", case_ref=f"案{n}", reviewed_on=on, status="finished",
        finished_on=on,
    )  # fmt: skip


def notice(unit, n, issued_on, done_on=None):
    return Rectification.objects.create(
        unit=unit, number=f"Z{n}", organ="县司法局", problems="p", issued_on=issued_on,
        due_on=date(issued_on.year, 12, 31), status="done" if done_on else "issued", completed_on=done_on,
    )  # fmt: skip


def value(name, unit, year=2024):
    return compute(unit, year, ids=[name], units=[unit.pk])[unit.pk][name].value


def test_files_reviewed_and_units_rectifying(county):
    office, hekou, justice = county["changgang_office"], county["hekou"], county["justice"]
    for n, (unit, on) in enumerate(
        [(office, date(2024, 3, 28)), (office, date(2024, 6, 27)), (hekou, date(2024, 9, 26)),
         (justice, date(2024, 12, 31)), (office, date(2023, 12, 29)), (hekou, date(2025, 1, 2))]
    ):  # fmt: skip
        review(unit, n, on)
    notice(office, 1, date(2024, 4, 10))
    notice(hekou, 2, date(2024, 10, 8), date(2024, 11, 1))
    notice(hekou, 3, date(2023, 10, 8))  # last year's round
    assert value("case_files_reviewed", county["county"]) == 4
    assert value("case_files_reviewed", county["changgang"]) == 2
    assert value("case_files_reviewed", county["county"], 2023) == 1
    assert value("case_review_units_rectifying", county["county"]) == 2
    assert value("case_review_units_rectifying", county["hekou"]) == 1
