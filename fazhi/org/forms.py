from datetime import date

from django import forms
from django.contrib.auth.password_validation import validate_password

from .fields import digest
from .masking import PHONE_PATTERN, is_valid_id_number
from .models import Person, Role, Unit, User, UserRole


class ScopedUnitChoiceMixin:
    """Limit every unit field of the form to the units in scope."""

    unit_fields: tuple[str, ...] = ("unit",)

    def limit_units(self, unit_ids: list[int]) -> None:
        for name in self.unit_fields:
            if name in self.fields:
                self.fields[name].queryset = Unit.objects.filter(pk__in=unit_ids).order_by(
                    "sort_order", "code"
                )


class UnitForm(ScopedUnitChoiceMixin, forms.ModelForm):
    unit_fields = ("parent",)

    class Meta:
        model = Unit
        fields = ["parent", "code", "name", "short_name", "level", "sort_order", "is_active"]
        labels = {"parent": "上级单位"}
        error_messages = {"code": {"unique": "单位代码已被其他单位使用。"}}


class PersonForm(ScopedUnitChoiceMixin, forms.ModelForm):
    roles = forms.ModelMultipleChoiceField(
        Role.objects.all(), label="角色", required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Person
        fields = ["unit", "name", "gender", "id_number", "phone", "position", "roles", "is_active", "note"]

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip().upper()
        if value and not is_valid_id_number(value):
            raise forms.ValidationError("身份证号格式或校验位不正确，请核对（18位，最后一位可为X）。")
        if (
            value
            and Person.objects.filter(id_number_digest=digest(value)).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError("该身份证号已登记在其他人员名下。")
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not PHONE_PATTERN.match(value):
            raise forms.ValidationError("电话号码格式不正确：手机号为11位，固话如 0375-1234567。")
        return value


class UserForm(ScopedUnitChoiceMixin, forms.ModelForm):
    password = forms.CharField(
        label="密码",
        required=False,
        widget=forms.PasswordInput,
        help_text="新建用户必填；编辑时留空表示不修改",
    )

    class Meta:
        model = User
        fields = [
            "username",
            "last_name",
            "first_name",
            "unit",
            "role",
            "may_view_personal_data",
            "is_active",
        ]
        labels = {"last_name": "姓", "first_name": "名", "is_active": "启用"}
        error_messages = {"username": {"unique": "该用户名已被使用。"}}

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not actor.is_system_admin:
            self.fields["role"].choices = [c for c in UserRole.choices if c[0] != UserRole.SYSTEM_ADMIN]

    def clean_password(self) -> str:
        value = self.cleaned_data["password"]
        if not self.instance.pk and not value:
            raise forms.ValidationError("新建用户需要设置初始密码。")
        if value:
            validate_password(value, self.instance)
        return value


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="姓名/职务", required=False)
    role = forms.ModelChoiceField(Role.objects.all(), label="角色", required=False, empty_label="全部角色")
    unit = forms.ModelChoiceField(Unit.objects.none(), label="单位", required=False, empty_label="全部单位")


EARLIEST_LOG_DATE = date(2000, 1, 1)  # bounds of the log's date filters: a typo does not reach the database
LATEST_LOG_DATE = date(2099, 12, 31)


class AuditLogFilterForm(forms.Form):
    """The audit log's filters. A value that is not a choice or a date is reported and ignored (the other
    filters still apply): ``criteria`` holds only the valid ones."""

    unit = forms.TypedChoiceField(
        label="单位（含下级）", coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": "所选单位不在您可查看的范围内。"},
    )  # fmt: skip
    user = forms.TypedChoiceField(
        label="操作人", coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": "所选操作人不在您可查看的范围内。"},
    )  # fmt: skip
    kind = forms.ChoiceField(
        label="类别", required=False, error_messages={"invalid_choice": "没有这一类记录。"}
    )
    date_from = forms.DateField(
        label="起始日期",
        required=False,
        error_messages={"invalid": "请按“年-月-日”填写日期，如 2024-03-01。"},
    )
    date_to = forms.DateField(
        label="截止日期",
        required=False,
        error_messages={"invalid": "请按“年-月-日”填写日期，如 2024-03-01。"},
    )

    def __init__(self, data=None, *, units, users, kinds) -> None:
        super().__init__(data)
        self.fields["unit"].choices = [("", "全部单位"), *units]
        self.fields["user"].choices = [("", "全部操作人"), *users]
        self.fields["kind"].choices = [("", "全部类别"), *kinds]

    def _clean_day(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST_LOG_DATE <= day <= LATEST_LOG_DATE:
            raise forms.ValidationError(f"日期应在{EARLIEST_LOG_DATE.year}年至{LATEST_LOG_DATE.year}年之间。")
        return day

    def clean_date_from(self) -> date | None:
        return self._clean_day("date_from")

    def clean_date_to(self) -> date | None:
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return cleaned

    @property
    def criteria(self) -> dict:
        """The valid filters, by the names ``fazhi.core.audit_log.changes`` takes."""
        if not self.is_bound or self.is_valid():
            return dict(self.cleaned_data) if self.is_bound else {}
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
