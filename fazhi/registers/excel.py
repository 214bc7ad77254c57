"""Excel for every register: a template to fill in, an all-or-nothing import with a row-by-row Chinese
error report, and an export of a filtered list. Columns come from the register's declaration."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi.indicators.services import data_changed
from fazhi.org.models import Person, Unit, User

from .deadlines import due_state, soon_limit, today
from .services import item_create
from .spec import Column, Register, register_for

MAX_IMPORT_ROWS = 20000
MAX_IMPORT_BYTES = 20 * 1024 * 1024
EXPORT_ONLY = ("期限事项", "期满日", "期限状态")  # computed columns of an export, ignored on import
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
TRUE_WORDS, FALSE_WORDS = {"是", "有", "true", "1", "√"}, {"否", "无", "false", "0", ""}


class ImportFailed(ValidationError):
    """The file was not imported; ``messages`` lists every problem by row and column."""


def _field(spec: Register, column: Column) -> models.Field:
    return spec.model._meta.get_field(column.field)


def header(spec: Register, column: Column) -> str:
    if column.header:
        return column.header
    return str(_field(spec, column).verbose_name)


def _choices(spec: Register, column: Column) -> list[tuple[str, str]]:
    if column.field == "status":
        return spec.workflow.choices
    return [(str(k), str(v)) for k, v in (_field(spec, column).choices or [])]


def _hint(spec: Register, column: Column) -> str:
    field = _field(spec, column)
    if choices := _choices(spec, column):
        return "从下拉列表选择：" + "、".join(label for _, label in choices)
    if isinstance(field, models.DateField):
        return "日期，如 2024-03-01 或 2024年3月1日"
    if isinstance(field, models.BooleanField):
        return "是 / 否"
    if isinstance(field, models.ForeignKey):
        if field.related_model is Unit:
            return "单位名称或代码（须在您的权限范围内）"
        if field.related_model is Person:
            return "人员姓名（所属单位内在岗人员）"
        related = register_for(field.related_model)
        return f"{related.item_label}的{header(related, Column(related.natural_key[0]))}"
    if isinstance(field, models.IntegerField | models.DecimalField):
        return "数字"
    return "文字"


# -- template and export --------------------------------------------------------------------------
def _workbook(spec: Register, columns: list[Column], headers: list[str]) -> tuple[Workbook, object]:
    book = Workbook()
    sheet = book.active
    sheet.title = spec.item_label[:31]
    sheet.append(headers)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3D6D6")
    for i, cell in enumerate(sheet[1]):
        cell.font = bold
        if i < len(columns) and columns[i].required:
            cell.fill = fill
        sheet.column_dimensions[get_column_letter(i + 1)].width = max(12, len(headers[i]) * 2 + 2)
    sheet.freeze_panes = "A2"
    return book, sheet


def template_bytes(spec: Register) -> bytes:
    """An empty sheet with the register's columns, drop-down lists for choices, and a sheet of notes."""
    columns = [c for c in spec.columns if c.importable]
    book, sheet = _workbook(spec, columns, [header(spec, c) for c in columns])
    options = book.create_sheet("选项")
    notes = book.create_sheet("填写说明")
    notes.append(["列", "是否必填", "填写要求"])
    for i, column in enumerate(columns, start=1):
        notes.append([header(spec, column), "必填" if column.required else "", _hint(spec, column)])
        if choices := _choices(spec, column):
            letter = get_column_letter(i)
            for row, (_, label) in enumerate(choices, start=1):
                options[f"{letter}{row}"] = label
            validation = DataValidation(
                type="list", formula1=f"=选项!${letter}$1:${letter}${len(choices)}", allow_blank=True
            )
            validation.error = "请从下拉列表中选择"
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{MAX_IMPORT_ROWS + 1}")
    notes.append([])
    notes.append(["说明", "", "红色表头为必填列；整张表全部无误才会导入，有任何错误都不会导入任何一行。"])
    options.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def display(spec: Register, item, field_name: str):
    """A field's value as a person reads it: labels for choices, names for units and people."""
    if field_name == "status":
        return spec.workflow.label(item.status)
    field = spec.model._meta.get_field(field_name)
    if field.choices:
        return getattr(item, f"get_{field_name}_display")()
    value = getattr(item, field_name)
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if isinstance(field, models.ForeignKey):
        if value is None:
            return ""
        if isinstance(value, Unit):
            return value.name
        if isinstance(value, Person):
            return value.name
        return str(getattr(value, register_for(field.related_model).natural_key[0]))
    return "" if value is None else value


def export_bytes(spec: Register, items) -> bytes:
    columns = list(spec.columns)
    headers = [header(spec, c) for c in columns] + list(EXPORT_ONLY)
    book, sheet = _workbook(spec, columns, headers)
    now = today()
    limit = soon_limit(now)
    for item in items:
        state = due_state(item.due_date, spec.workflow.is_open(item.status), now, limit)
        sheet.append(
            [display(spec, item, c.field) for c in columns] + [item.due_label, item.due_date, state.value]
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- import -----------------------------------------------------------------------------------------
def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    m = DATE_RE.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValueError(f"“{text}”不是有效日期（应为 2024-03-01 或 2024年3月1日）")


class _Resolver:
    """Turns cell text into field values, looking units, people and linked items up in the scope."""

    def __init__(self, spec: Register, scope_ids: list[int]):
        self.spec = spec
        self.scope_ids = scope_ids
        units = Unit.objects.filter(pk__in=scope_ids)
        self.units: dict[str, Unit] = {}
        for unit in units:
            for key in (unit.name, unit.code, unit.short_name):
                if key:
                    self.units.setdefault(key, unit)
        self._people: dict[str, list[Person]] | None = None
        self._linked: dict[type, dict[str, models.Model]] = {}

    def people(self) -> dict[str, list[Person]]:
        if self._people is None:
            self._people = {}
            for person in Person.objects.filter(unit_id__in=self.scope_ids, is_active=True):
                self._people.setdefault(person.name, []).append(person)
        return self._people

    def linked(self, model: type[models.Model]) -> dict[str, models.Model]:
        if model not in self._linked:
            key = register_for(model).natural_key[0]
            rows = model.objects.filter(unit_id__in=self.scope_ids)
            self._linked[model] = {str(getattr(r, key)): r for r in rows}
        return self._linked[model]

    def value(self, column: Column, raw, unit: Unit | None = None):
        """The field value of a cell; ``unit`` is the row's own unit, which settles people's names."""
        spec, field = self.spec, _field(self.spec, column)
        text = "" if raw is None else (raw if isinstance(raw, date) else str(raw).strip())
        if text == "":
            if field.has_default():
                return field.get_default()
            return None if (field.null or isinstance(field, models.ForeignKey)) else ""
        if choices := _choices(spec, column):
            for code, label in choices:
                if text in (label, code):
                    return code
            raise ValueError(f"“{text}”不是可选值（{'、'.join(label for _, label in choices)}）")
        if isinstance(field, models.DateField):
            return parse_date(raw)
        if isinstance(field, models.BooleanField):
            if str(text).lower() in TRUE_WORDS:
                return True
            if str(text).lower() in FALSE_WORDS:
                return False
            raise ValueError(f"“{text}”应填“是”或“否”")
        if isinstance(field, models.ForeignKey):
            return self._foreign(field, str(text), unit)
        if isinstance(field, models.IntegerField):
            try:
                return int(Decimal(str(text)))
            except InvalidOperation:
                raise ValueError(f"“{text}”不是整数") from None
        if isinstance(field, models.DecimalField):
            try:
                return Decimal(str(text))
            except InvalidOperation:
                raise ValueError(f"“{text}”不是数字") from None
        return str(text)

    def _foreign(self, field: models.ForeignKey, text: str, unit: Unit | None = None):
        if field.related_model is Unit:
            if text not in self.units:
                raise ValueError(f"单位“{text}”不存在或不在您的权限范围内")
            return self.units[text]
        if field.related_model is Person:
            matches = self.people().get(text, [])
            if len(matches) > 1 and unit is not None:  # two 卢兰 in the county: the one in the row's unit
                matches = [p for p in matches if p.unit_id == unit.pk] or matches
            if not matches:
                raise ValueError(f"人员“{text}”不存在或不在您的权限范围内")
            if len(matches) > 1:
                raise ValueError(
                    f"有{len(matches)}名在岗人员叫“{text}”，且都不在本行的所属单位，无法确定是哪一位"
                )
            return matches[0]
        linked = self.linked(field.related_model)
        if text not in linked:
            label = register_for(field.related_model).item_label
            raise ValueError(f"{label}“{text}”不存在或不在您的权限范围内")
        return linked[text]


def read_rows(spec: Register, data: bytes, name: str) -> list[tuple[int, dict[str, object]]]:
    """(row number, {header: cell}) for each non-empty row; a bad file raises ImportFailed."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFailed([f"{name}：不是有效的 Excel（.xlsx）文件（{type(exc).__name__}）"]) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if not first:
        raise ImportFailed([f"{name}：第一张工作表是空的"])
    headers = [str(h).strip() if h is not None else "" for h in first]
    known = {header(spec, c): c for c in spec.columns if c.importable}
    ignored = set(EXPORT_ONLY) | {header(spec, c) for c in spec.columns if not c.importable}
    errors = [f"第1行：未知的列“{h}”" for h in headers if h and h not in known and h not in ignored]
    errors += [f"第1行：缺少必填列“{h}”" for h, c in known.items() if c.required and h not in headers]
    if errors:
        raise ImportFailed(errors)
    result = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_IMPORT_ROWS + 1:
            raise ImportFailed([f"{name}：一次最多导入{MAX_IMPORT_ROWS}行"])
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        result.append((number, {h: v for h, v in zip(headers, values, strict=False) if h in known}))
    if not result:
        raise ImportFailed([f"{name}：没有数据行"])
    return result


def import_workbook(
    spec: Register, data: bytes, name: str, *, actor: User, scope_ids: list[int]
) -> list[models.Model]:
    """Import every row or none: any problem in any row raises ImportFailed listing them all."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed([f"{name}：文件过大，上限为 {MAX_IMPORT_BYTES // 1024 // 1024} MB"])
    rows = read_rows(spec, data, name)
    resolver = _Resolver(spec, scope_ids)
    columns = {header(spec, c): c for c in spec.columns if c.importable}
    errors: list[str] = []
    items, seen = [], {}
    for number, cells in rows:
        values, row_errors = {}, []
        for head, column in columns.items():
            try:
                values[column.field] = resolver.value(column, cells.get(head), values.get("unit"))
            except ValueError as exc:
                row_errors.append(f"第{number}行「{head}」：{exc}")
            if column.required and cells.get(head) in (None, "") and not any(head in e for e in row_errors):
                row_errors.append(f"第{number}行「{head}」：必填，不能为空")
        if row_errors:
            errors += row_errors
            continue
        item = spec.model(**{k: v for k, v in values.items() if v is not None or _field_nullable(spec, k)})
        if not item.status:
            item.status = spec.workflow.initial
        try:
            item.full_clean(validate_unique=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                head = next((h for h, c in columns.items() if c.field == field), field)
                errors += [f"第{number}行「{head}」：{m}" for m in messages]
            continue
        if spec.natural_key:
            key = (item.unit_id, *(getattr(item, f) for f in spec.natural_key))
            label = "、".join(header(spec, Column(f)) for f in spec.natural_key)
            if key in seen:
                errors.append(f"第{number}行：与第{seen[key]}行重复（{label}相同）")
                continue
            seen[key] = number
            lookup = {f: getattr(item, f) for f in spec.natural_key}
            if spec.model.objects.filter(unit_id=item.unit_id, **lookup).exists():
                errors.append(f"第{number}行：系统中已有该{spec.item_label}（{label}相同）")
                continue
        items.append(item)
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        for item in items:
            item_create(spec, item, actor=actor, scope_ids=scope_ids, note=f"从{name}导入", notify=False)
        data_changed({item.unit_id for item in items})
    return items


def _field_nullable(spec: Register, name: str) -> bool:
    return spec.model._meta.get_field(name).null
