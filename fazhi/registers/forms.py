from django import forms
from django.db import models

from fazhi.org.models import Person, Unit

from .deadlines import DueState, today
from .spec import Register
from .workflow import Step


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegisterItemForm(forms.ModelForm):
    """Base of every register's form: choices of units, people and linked items limited to the scope,
    dates entered with the browser's date picker."""

    def __init__(self, *args, scope_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if isinstance(model_field, models.DateField):
                field.widget = DateInput(attrs={"class": "form-control"})
            if isinstance(field, forms.ModelChoiceField):
                related = model_field.related_model
                if related is Unit:
                    field.queryset = Unit.objects.filter(pk__in=scope_ids).order_by("code")
                elif related is Person:
                    field.queryset = Person.objects.filter(unit_id__in=scope_ids, is_active=True).order_by(
                        "unit__code", "name"
                    )
                elif hasattr(related, "unit"):
                    field.queryset = related.objects.filter(unit_id__in=scope_ids).order_by("-pk")


class ListFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False)
    status = forms.ChoiceField(label="状态", required=False)
    due = forms.ChoiceField(
        label="期限",
        required=False,
        choices=[("", "全部期限"), *((s.value, s.value) for s in DueState if s.value)],
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, spec: Register, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "全部状态"), *spec.workflow.choices]
        self.choice_fields = []
        for name in spec.filter_fields:
            model_field = spec.model._meta.get_field(name)
            self.fields[name] = forms.ChoiceField(
                label=model_field.verbose_name,
                required=False,
                choices=[("", f"全部{model_field.verbose_name}"), *(model_field.choices or [])],
            )
            self.choice_fields.append(name)


def transition_form_class(spec: Register, step: Step) -> type[forms.Form]:
    """A form for one workflow step: its date, the fields it requires, and a note."""
    fields: dict[str, forms.Field] = {}
    if step.date_field:
        label = spec.model._meta.get_field(step.date_field).verbose_name
        fields["on"] = forms.DateField(
            label=label, initial=today, widget=DateInput(attrs={"class": "form-control"})
        )
    for name in step.requires:
        field = spec.model._meta.get_field(name).formfield()
        field.required = True
        if isinstance(field.widget, forms.DateInput):
            field.widget = DateInput(attrs={"class": "form-control"})
        fields[name] = field
    fields["note"] = forms.CharField(label="说明", required=False, max_length=300)
    return type("TransitionForm", (forms.Form,), fields)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件", error_messages={"required": "请选择要上传的文件。"})


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）", error_messages={"required": "请选择要导入的 Excel 文件。"}
    )
