"""The forms of the scan page, the list filters, the quiet period and the 重复检查 threshold."""

from __future__ import annotations

from datetime import date

from django import forms

from fazhi.inspections.models import InspectionObject

from .models import QuietPeriod, VisitReason
from .selectors import officer_choice_label

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.Form):
    reason = forms.ChoiceField(
        label="检查事由", choices=VisitReason.choices, widget=forms.RadioSelect,
        error_messages={"required": "请选择检查事由。", "invalid_choice": "请选择检查事由。"},
    )  # fmt: skip
    plan = forms.TypedChoiceField(
        label="抽查计划（双随机抽查时选择）", required=False, coerce=int, empty_value=None,
        error_messages={"invalid_choice": "所选抽查计划未抽中该企业，请重新选择。"},
    )  # fmt: skip
    reason_text = forms.CharField(label="事由说明（其他时填写）", max_length=100, required=False)
    co_officers = forms.TypedMultipleChoiceField(
        label="同行执法人员", coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选同行执法人员不在可选范围内，请刷新后重试。"},
    )  # fmt: skip
    officer_query = forms.CharField(
        label="联合检查：查找其他单位的执法人员（姓名或执法证号）", max_length=40, required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )  # fmt: skip
    note = forms.CharField(
        label="备注", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, plans, officers, **kwargs):
        """``officers``: the co-officers offered (``selectors.eligible_officers``: the officer's colleagues,
        those already chosen and those found), each shown by ``selectors.officer_choice_label``."""
        super().__init__(*args, **kwargs)
        plan_field: forms.TypedChoiceField = self.fields["plan"]  # type: ignore[assignment]
        plan_field.choices = [("", "—")] + [(p.pk, f"{p}（{p.unit.name}）") for p in plans]
        officers_field: forms.TypedMultipleChoiceField = self.fields["co_officers"]  # type: ignore[assignment]
        officers_field.choices = [(p.pk, officer_choice_label(p)) for p in officers]


class UnitFilterMixin(forms.Form):
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部")] + [  # type: ignore[attr-defined]
            (u.pk, f"{'　' * u.tree_depth}{u.label}") for u in units
        ]
        self.fields["unit"].error_messages["invalid_choice"] = "所选单位不在您的查看范围内。"


class MonthFilter(UnitFilterMixin):
    month = forms.DateField(
        label="月份", input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "月份应为“2025-03”的格式。"},
    )  # fmt: skip


class PeriodFilter(UnitFilterMixin):
    start = forms.DateField(label="起始日期", widget=DATE, error_messages={"invalid": "起始日期格式不正确。"})
    end = forms.DateField(label="截止日期", widget=DATE, error_messages={"invalid": "截止日期格式不正确。"})

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "截止日期不能早于起始日期。")
        if start and start < date(2000, 1, 1):
            self.add_error("start", "起始日期不能早于2000年。")
        return data


class YearFilter(UnitFilterMixin):
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100,
        error_messages={"invalid": "年度应为四位数字。", "min_value": "年度不能早于2000年。",
                        "max_value": "年度不能晚于2100年。"},
    )  # fmt: skip


class QuietPeriodForm(forms.ModelForm):
    allowed_reasons = forms.MultipleChoiceField(
        label="安静期内允许的检查事由", choices=VisitReason.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "允许的检查事由不在可选范围内。"},
    )  # fmt: skip
    enterprise_codes = forms.CharField(
        label="适用企业的统一社会信用代码（不适用于全部企业时填写，每行一个）", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    class Meta:
        model = QuietPeriod
        fields = [
            "unit",
            "title",
            "basis",
            "valid_from",
            "valid_to",
            "first_day",
            "last_day",
            "all_enterprises",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["allowed_reasons"] = self.instance.allowed_reasons
            self.initial["enterprise_codes"] = "\n".join(
                self.instance.enterprises.order_by("credit_code").values_list("credit_code", flat=True)
            )

    def listed_enterprises(self, unit_ids: list[int]) -> list[InspectionObject]:
        """The enterprises named by 统一社会信用代码 within ``unit_ids``; unknown codes are form errors."""
        codes = [c.strip() for c in self.cleaned_data.get("enterprise_codes", "").split() if c.strip()]
        found = {
            o.credit_code: o
            for o in InspectionObject.objects.filter(unit_id__in=unit_ids, credit_code__in=codes)
        }
        unknown = [c for c in codes if c not in found]
        if unknown:
            self.add_error("enterprise_codes", f"检查对象名录库中没有这些企业：{'、'.join(unknown[:5])}。")
        return [found[c] for c in codes if c in found]


class PolicyForm(forms.Form):
    repeat_limit = forms.IntegerField(
        label="每户每年入企检查次数提示线", min_value=1, max_value=365,
        error_messages={"invalid": "提示线应为整数。", "min_value": "提示线至少为1。",
                        "max_value": "提示线不能超过365。"},
    )  # fmt: skip
