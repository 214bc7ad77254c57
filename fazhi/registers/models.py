"""What every register item has (owning unit, responsible person, status, its open deadline), and the
stamped status changes and attachments shared by all registers."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords


class RegisterItem(models.Model):
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    responsible = models.ForeignKey(
        "org.Person",
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=20, db_index=True)
    # The open deadline, recomputed by registers.services whenever the item, a rule or a schedule changes
    due_date = models.DateField("期满日", null=True, blank=True, db_index=True, editable=False)
    due_label = models.CharField("期限事项", max_length=100, blank=True, editable=False)
    due_source = models.CharField("期限依据", max_length=300, blank=True, editable=False)
    due_guessed = models.BooleanField("按未载入的节假日安排推算", default=False, editable=False)
    note = models.TextField("备注", blank=True)
    # Bumped by every write through registers.services: an edit read at an older version is refused
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


def status_field(states: type[models.TextChoices]) -> models.CharField:
    """A register model's ``status``: the workflow's states as its choices (the workflow is declared with
    the same ``TextChoices``; the start-up check compares them)."""
    return models.CharField("状态", max_length=20, choices=states.choices, db_index=True)


def valid_status(states: type[models.TextChoices], name: str) -> models.CheckConstraint:
    """A database constraint keeping ``status`` among the workflow's states."""
    return models.CheckConstraint(condition=models.Q(status__in=states.values), name=name)


def not_before(later: str, earlier: str, name: str) -> models.CheckConstraint:
    """A database constraint: date ``later`` is empty or not before date ``earlier`` (when both are set)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{later}__isnull": True})
        | models.Q(**{f"{earlier}__isnull": True})
        | models.Q(**{f"{later}__gte": models.F(earlier)}),
        name=name,
    )


def filled_in(states: list[str], fields: list[str], name: str) -> models.CheckConstraint:
    """A database constraint: in ``states`` every one of ``fields`` is set (e.g. a decided decision has
    its legality review)."""
    filled = models.Q()
    for f in fields:
        filled &= models.Q(**{f"{f}__isnull": False})
    return models.CheckConstraint(condition=~models.Q(status__in=states) | filled, name=name)


class StatusChange(models.Model):
    """One workflow step of one register item: who moved it, when, from which state to which."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20)
    label = models.CharField("操作", max_length=40)
    on = models.DateField("办理日期", null=True, blank=True)
    at = models.DateTimeField("操作时间", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"

    def __str__(self) -> str:
        return f"{self.label}（{self.from_status} → {self.to_status}）"


class Attachment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    file = models.FileField("文件", upload_to="attachments/%Y/%m/")
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name
