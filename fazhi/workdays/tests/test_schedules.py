"""Loading a year the package does not know: the file format, its errors, the form and the command."""

import json
from datetime import date

import pytest

from fazhi.cli import main
from fazhi.workdays import services
from fazhi.workdays.calendar import UnknownScheduleError
from fazhi.workdays.schedules import ScheduleFormatError, parse_schedule, parse_schedule_json

SCHEDULE_2027 = {
    "year": 2027,
    "source": "测试用：国务院办公厅关于2027年部分节假日安排的通知",
    "holidays": [
        {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
        "2027-02-05~2027-02-13",
        "2027-10-01至2027-10-07",
    ],
    "makeup_workdays": ["2027-02-20", "2027-10-09"],
}


def test_parse_expands_ranges():
    schedule = parse_schedule(SCHEDULE_2027)
    assert len(schedule.holidays) == 3 + 9 + 7
    assert date(2027, 2, 20) in schedule.makeup_workdays


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": "abc"}, "year（年份）缺失或不是整数"),
        ({"source": ""}, "source（依据"),
        ({"holidays": []}, "holidays（放假日期）不能为空"),
        ({"holidays": ["2027-02-30"]}, "holidays 第1项：“2027-02-30”不是有效日期"),
        ({"holidays": ["2026-12-31"]}, "不属于 2027 年"),
        ({"makeup_workdays": ["2027-03-03"]}, "是周一至周五"),
        ({"makeup_workdays": ["2027-02-06"]}, "既列为放假又列为调休上班"),
        ({"holidays": [{"start": "2027-05-05", "end": "2027-05-01"}]}, "早于起始日期"),
    ],
)
def test_bad_schedules_get_chinese_messages_naming_the_field(change, message):
    with pytest.raises(ScheduleFormatError, match=message):
        parse_schedule({**SCHEDULE_2027, **change})


def test_bad_json_names_line():
    with pytest.raises(ScheduleFormatError, match="第1行"):
        parse_schedule_json("{year: 2027")


@pytest.mark.django_db
def test_loaded_year_is_used_by_every_computation():
    with pytest.raises(UnknownScheduleError):
        services.add_workdays(date(2027, 2, 4), 1)
    services.schedule_load(parse_schedule(SCHEDULE_2027))
    assert services.add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 15)
    assert services.is_workday(date(2027, 2, 20))  # make-up Saturday
    assert any(y.year == 2027 and y.loaded for y in services.known_years())


@pytest.mark.django_db
def test_cli_load_and_add(tmp_path, capsys):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(SCHEDULE_2027, ensure_ascii=False), encoding="utf-8")
    assert main(["workdays", "add", "2026-12-30", "2"]) == 2
    assert "2027年的节假日安排尚未载入" in capsys.readouterr().err
    assert main(["workdays", "load", str(path)]) == 0
    capsys.readouterr()
    assert main(["workdays", "add", "2026-12-30", "2"]) == 0
    assert capsys.readouterr().out.strip() == "2027-01-04"  # 12-31, then 01-01..03 off, 01-04 (一)


@pytest.mark.django_db
def test_cli_load_rejects_bad_file(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**SCHEDULE_2027, "makeup_workdays": ["2027-03-03"]}), encoding="utf-8")
    assert main(["workdays", "load", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "是周一至周五" in err
    assert main(["workdays", "load", str(tmp_path / "missing.json")]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["workdays", "add", "2024-02-08", "3"], "2024-02-19"),
        (["workdays", "between", "2024-02-08", "2024-02-19"], "3"),
        (["workdays", "due", "2024-08-02", "60"], "2024-10-08"),
        (["workdays", "due", "2024-02-08", "3", "--working"], "2024-02-19"),
        (["workdays", "due", "2024-04-01", "6", "--unit", "月"], "2024-10-08"),
    ],
)
def test_cli_workdays(argv, expected, capsys):
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == expected


def test_cli_bad_date_exits_2(capsys):
    assert main(["workdays", "add", "2024-13-01", "1"]) == 2
    assert "不是 ISO 日期" in capsys.readouterr().err


@pytest.mark.django_db
def test_calendars_of_the_same_schedules_share_the_working_days_they_listed():
    """A deadline does not list a year's working days again (12% of a large demo build did), and a
    calendar that guessed a year neither shares the guess nor makes another unverified."""
    first = services.work_calendar()
    assert first.add_workdays(date(2025, 4, 21), 7) == date(2025, 4, 29)
    second = services.work_calendar(strict=False)
    assert 2025 in second._ordinals and second._ordinals is first._ordinals
    second.add_workdays(date(2099, 1, 5), 3)
    assert not second.verified
    third = services.work_calendar(strict=False)
    assert 2099 not in third._ordinals and third.verified
    services.invalidate_cache()  # a schedule loaded: the listed days go with the old schedules
    assert 2025 not in services.work_calendar()._ordinals
