from django import forms

from .catalogue import RuleKind, national_rules
from .models import RuleOverride


class RuleOverrideForm(forms.ModelForm):
    class Meta:
        model = RuleOverride
        fields = ["rule_code", "unit", "value", "measure", "source", "valid_from", "valid_to", "note"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, unit_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        codes: dict[str, str] = {}
        for rule in national_rules():
            if rule.kind is not RuleKind.REPORT_PART:
                codes.setdefault(rule.code, f"{rule.area}：{rule.name}（全国：{rule.display_value}）")
        self.fields["rule_code"] = forms.ChoiceField(label="规则", choices=list(codes.items()))
        self.fields["unit"].queryset = unit_queryset
