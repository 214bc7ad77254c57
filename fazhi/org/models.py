"""Units (a tree), people with their roles, and users who belong to a unit."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords
from tree_queries.models import TreeNode

from .fields import IdNumberField, PhoneField, digest


class UnitLevel(models.TextChoices):
    COUNTY = "county", "县（区）"
    TOWNSHIP = "township", "乡镇（街道）"
    DEPARTMENT = "department", "县直部门"
    OFFICE = "office", "派出机构（司法所等）"
    VILLAGE = "village", "村（社区）"


class Unit(TreeNode):
    """An administrative unit: a county, a township, a department, a 司法所 or a village."""

    code = models.CharField("单位代码", max_length=32, unique=True)
    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    level = models.CharField("层级", max_length=20, choices=UnitLevel.choices)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在用", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.pk and self.parent_id:
            below = Unit.objects.descendants(self, include_self=True).values_list("pk", flat=True)
            if self.parent_id in set(below):
                raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。"})
        super().clean()


class Role(models.Model):
    """A role a person holds in rule-of-law work (党政主要负责人, 执法人员, 调解员 …)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Person(models.Model):
    """A member of staff or of the public who holds a role (法律明白人, 调解员 …)."""

    unit = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="people")
    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    id_number = IdNumberField("身份证号", blank=True)
    # a keyed hash of the 身份证号 (which is stored encrypted): uniqueness and look-ups go through it
    id_number_digest = models.CharField(
        "身份证号摘要", max_length=64, blank=True, editable=False, db_index=True
    )
    phone = PhoneField("联系电话", blank=True)
    position = models.CharField("职务", max_length=60, blank=True)
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="people")
    is_active = models.BooleanField("在岗", default=True)
    note = models.CharField("备注", max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[roles])

    class Meta:
        ordering = ["unit__sort_order", "unit__code", "name"]
        verbose_name = "人员"
        verbose_name_plural = "人员"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=~models.Q(id_number_digest=""),
                name="person_unique_id_number",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.id_number_digest = digest(self.id_number)
        super().save(*args, **kwargs)


class UserRole(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    UNIT_ADMIN = "unit_admin", "单位管理员"
    OPERATOR = "operator", "业务经办人员"
    VIEWER = "viewer", "查看人员"


class User(AbstractUser):
    """A login. It belongs to a unit and sees that unit and its subordinates only."""

    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    person = models.OneToOneField(
        Person, verbose_name="对应人员", on_delete=models.SET_NULL, null=True, blank=True, related_name="user"
    )
    role = models.CharField("系统角色", max_length=20, choices=UserRole.choices, default=UserRole.OPERATOR)
    may_view_personal_data = models.BooleanField(
        "可查看完整个人信息", default=False, help_text="身份证号、电话在列表和导出中默认打码"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def is_system_admin(self) -> bool:
        return self.is_superuser or self.role == UserRole.SYSTEM_ADMIN

    @property
    def can_manage(self) -> bool:
        """May create and edit units, people and users within its scope."""
        return self.is_system_admin or self.role == UserRole.UNIT_ADMIN

    @property
    def can_edit(self) -> bool:
        """May write register records within its scope."""
        return self.role != UserRole.VIEWER or self.is_superuser
