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
