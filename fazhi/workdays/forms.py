from django import forms
from django.utils import timezone

from fazhi.rules.catalogue import RuleKind, national_rules

from .calendar import DayKind
from .schedules import ScheduleFormatError, parse_schedule


def _lines(text: str) -> list[str]:
    """One date or range per line; anything after the first blank (a holiday name) is a comment."""
    return [line.split()[0] for line in text.splitlines() if line.strip()]


class ScheduleForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据",
        max_length=300,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）",
    )
    holidays = forms.CharField(
        label="放假日期",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一个日期或区间，可加名称，如：2027-02-06~2027-02-13 春节",
    )
    makeup_workdays = forms.CharField(
        label="调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个日期",
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["schedule"] = parse_schedule(
                {
                    "year": data["year"],
                    "source": data["source"],
                    "holidays": _lines(data["holidays"]),
                    "makeup_workdays": _lines(data.get("makeup_workdays", "")),
                }
            )
        except ScheduleFormatError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data


def _period_rule_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for rule in national_rules():
        if rule.kind in (RuleKind.DEADLINE, RuleKind.MINIMUM) and rule.code not in seen:
            seen[rule.code] = f"{rule.area}：{rule.name}（{rule.value}{rule.unit}）"
    return [("", "— 按天数自行计算 —"), *seen.items()]


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label="起算日", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    rule = forms.ChoiceField(label="法定期限", required=False)
    n = forms.IntegerField(label="期间", min_value=1, max_value=3650, required=False)
    kind = forms.ChoiceField(label="单位", choices=[(k.value, k.value) for k in DayKind], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = _period_rule_choices()

    def clean(self):
        data = super().clean()
        if not data.get("rule") and not (data.get("n") and data.get("kind")):
            raise forms.ValidationError("请选择一项法定期限，或填写期间天数和单位。")
        return data
