"""Forms of every register, generated from its declaration. A form only parses what was typed: the
checks are the services' (``services.validate``), so a page, an import row and the API get the same
Chinese messages. Choices of units, people and linked records come from one scoped selector, each shown
with its unit, and always include the value already stored (an edit never drops what the editor could
not have chosen)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.db import models
from django.forms.models import construct_instance

from fazhi.org.fields import PersonalDataField

from . import selectors, services
from .deadlines import DueState, today
from .present import may_see_personal_data
from .spec import Child, Register, filter_choices
from .workflow import Step


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


MAX_ID = 2**63 - 1


def _plausible_id(value: Any) -> bool:
    """A posted id the database can look up (a 30-digit number overflows it: refused as a bad choice)."""
    return str(value).isdigit() and 0 < int(value) <= MAX_ID


class LinkChoiceField(forms.ModelChoiceField):
    """A unit, person or register record, shown with its unit."""

    def label_from_instance(self, obj: Any) -> str:
        return selectors.link_label(obj)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if not _plausible_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class LinkMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return selectors.link_label(obj)

    def clean(self, value: Any) -> Any:
        if value and not all(
            _plausible_id(v) for v in (value if isinstance(value, list | tuple) else [value])
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"] % {"value": "?"}, code="invalid_choice"
            )
        return super().clean(value)


def scope_fields(form: forms.BaseForm, model: Any, scope_ids: list[int], instance: Any) -> None:
    """Date pickers for dates, scoped choices (plus the stored value) for links."""
    for name, field in form.fields.items():
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # a form-only field (version, note of a step)
            continue
        if isinstance(model_field, models.DateField):
            field.widget = DateInput(attrs={"class": "form-control"})
        if isinstance(field, forms.ModelMultipleChoiceField):
            keep = (
                list(getattr(instance, name).values_list("pk", flat=True)) if instance and instance.pk else []
            )
            field.queryset = selectors.link_choices(model_field.related_model, scope_ids, keep)
        elif isinstance(field, forms.ModelChoiceField):
            stored = getattr(instance, model_field.attname, None) if instance is not None else None
            field.queryset = selectors.link_choices(model_field.related_model, scope_ids, [stored])


class RegisterItemForm(forms.ModelForm):
    """Base of every register's generated form. ``version`` carries the version the item was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    spec: Register

    def __init__(self, *args, scope_ids: list[int], viewer: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        scope_fields(self, self._meta.model, scope_ids, self.instance)
        self.hidden_personal: list[
            str
        ] = []  # stored personal data the viewer may not read: kept if left empty
        for name, field in self.fields.items():
            column = self.spec.column(name)
            if column is not None and column.required:
                field.required = True
            field.error_messages["required"] = services.REQUIRED
            model_field = self._meta.model._meta.get_field(name)
            stored = getattr(self.instance, name, "") if self.instance.pk else ""
            if isinstance(model_field, PersonalDataField) and stored and not may_see_personal_data(viewer):
                self.hidden_personal.append(name)
                self.initial[name] = ""
                field.required = False
                field.widget.attrs["placeholder"] = model_field.mask(stored)
                field.help_text = "已打码显示；留空则保持原值，填写则替换。"
        if self.instance.pk and not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self) -> None:
        # Only carry the typed values onto the instance: services.validate checks them, for every path.
        kept = {name: getattr(self.instance, name) for name in self.hidden_personal}
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]  # ModelForm's own helper
        for name, value in kept.items():
            if not self.cleaned_data.get(name):
                setattr(self.instance, name, value)

    @property
    def related(self) -> dict[str, Any]:
        """Many-to-many values, set by the services after the item is saved."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField)
        }


def _link_field(model_field: Any, **kwargs: Any) -> Any:
    if isinstance(model_field, models.ManyToManyField):
        return model_field.formfield(form_class=LinkMultipleChoiceField, **kwargs)
    if isinstance(model_field, models.ForeignKey):
        return model_field.formfield(form_class=LinkChoiceField, **kwargs)
    return model_field.formfield(**kwargs)


@cache
def form_class(spec: Register) -> type[RegisterItemForm]:
    """The create/edit form of a register: its entered fields no workflow step owns."""
    fields = list(spec.form_fields)
    callback = lambda f, **kw: _link_field(f, **kw)  # noqa: E731 — links shown with their units
    form: Any = forms.modelform_factory(
        spec.model, form=RegisterItemForm, fields=fields, formfield_callback=callback
    )
    form.spec = spec
    return form


class ChildForm(forms.ModelForm):
    def _post_clean(self) -> None:
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except forms.ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]  # ModelForm's own helper


@cache
def child_formset(spec: Register, child: Child) -> type[forms.BaseInlineFormSet]:
    return forms.inlineformset_factory(
        spec.model,
        child.model,
        form=ChildForm,
        fk_name=child.fk,
        fields=[c.field for c in child.columns],
        extra=2,
        can_delete=True,
    )


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
        self.fields["status"].choices = [("", "全部状态"), *spec.workflow.choices]  # type: ignore[attr-defined]
        self.choice_fields = []
        for name in spec.filter_fields:
            model_field = spec.model_field(name)
            self.fields[name] = forms.ChoiceField(
                label=model_field.verbose_name,
                required=False,
                choices=[("", f"全部{model_field.verbose_name}"), *filter_choices(model_field)],
            )
            self.choice_fields.append(name)


def transition_form_class(spec: Register, step: Step) -> type[forms.Form]:
    """A form for one workflow step: its date, the fields it requires, and a note. The state the page
    showed travels with it, so a step someone else took meanwhile is not taken twice."""
    fields: dict[str, forms.Field] = {}
    if step.date_field:
        label = spec.model_field(step.date_field).verbose_name
        fields["on"] = forms.DateField(
            label=label, initial=today, widget=DateInput(attrs={"class": "form-control"})
        )
    for name in step.requires:
        field = _link_field(spec.model_field(name))
        field.required = True
        fields[name] = field
    for name in step.optional:
        field = _link_field(spec.model_field(name))
        field.required = False
        fields[name] = field
    fields["note"] = forms.CharField(label="说明", required=False, max_length=300)
    fields["expected_status"] = forms.CharField(widget=forms.HiddenInput, required=False)
    base = type("TransitionForm", (forms.Form,), fields)

    class TransitionForm(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args, scope_ids: list[int], instance: Any, **kwargs):
            super().__init__(*args, **kwargs)
            scope_fields(self, spec.model, scope_ids, instance)
            if not self.is_bound:
                self.fields["expected_status"].initial = instance.status
            for name, field in self.fields.items():
                offered = spec.choices_for(instance, name) if spec.choices_for else None
                if offered is not None and isinstance(field, forms.ChoiceField):
                    every: list[tuple[str, str]] = list(field.choices)  # type: ignore[arg-type]
                    field.choices = [(v, label) for v, label in every if v == "" or v in offered]

    return TransitionForm


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="附件",
        error_messages={"required": "请选择要上传的文件。", "empty": "文件为空，请检查后重新上传。"},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）", error_messages={"required": "请选择要导入的 Excel 文件。"}
    )
