"""Excel for every register: a template to fill in, an all-or-nothing import with a row-by-row Chinese
error report, and an export of a filtered list. Columns come from the register's declaration; a
register with child rows gets a second sheet keyed by the item's natural key.

The import checks each row through the same service as the forms (``services.prepare_new``: the same
validation, the same messages, the workflow's steps replayed for a record given in a later state), with
every lookup read once per file, then writes all rows in bulk inside one transaction."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook
from simple_history.utils import bulk_create_with_history

from fazhi.core import xlsx_guard
from fazhi.core.formats import cn_date
from fazhi.core.gc_pause import no_cyclic_gc
from fazhi.core.xlsx import as_text_cell, print_setup
from fazhi.org.models import Person, Unit, User

from . import bulk, services
from .deadlines import due_state, soon_limit, today
from .models import StatusChange
from .present import display
from .spec import Child, Column, Register, register_for

MAX_IMPORT_ROWS = 100_000
# An import stops here, whatever it is doing: rows are checked at thousands a second, so only a hostile
# or broken file gets near it. Its memory is bounded by xlsx_guard's limits on what is parsed.
IMPORT_TIME_LIMIT_SECONDS = 600
MAX_IMPORT_BYTES = 20 * 1024 * 1024
BATCH = 5000  # rows per INSERT (fewer on SQLite, whose limit on parameters Django applies itself)
EXPORT_ONLY = ("序号", "期限事项", "期满日", "期限状态")  # columns an export adds, ignored on import
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
TRUE_WORDS, FALSE_WORDS = {"是", "有", "true", "1", "√"}, {"否", "无", "false", "0", ""}
LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
REQUIRED = services.REQUIRED


class ImportFailed(ValidationError):
    """The file was not imported; ``messages`` lists every problem by row and column."""


def _field(model: type[models.Model], column: Column) -> Any:
    return model._meta.get_field(column.field)


def header(spec: Register, column: Column, model: type[models.Model] | None = None) -> str:
    """A column's header, of the register's own model or of a child's (``model``)."""
    if column.header:
        return column.header
    return str(_field(model or spec.model, column).verbose_name)


def _choices(
    spec: Register, column: Column, model: type[models.Model] | None = None
) -> list[tuple[str, str]]:
    if column.field == "status" and model is None:
        return spec.workflow.choices
    return [(str(k), str(v)) for k, v in (_field(model or spec.model, column).choices or [])]


def _hint(spec: Register, column: Column, model: type[models.Model] | None = None) -> str:
    field = _field(model or spec.model, column)
    if choices := _choices(spec, column, model):
        return "从下拉列表选择：" + "、".join(label for _, label in choices)
    if isinstance(field, models.DateField):
        return "日期，如 2024-03-01 或 2024年3月1日"
    if isinstance(field, models.BooleanField):
        return "是 / 否"
    if field.many_to_many:
        return "人员姓名，多人用“、”分隔（须在您的权限范围内）"
    if isinstance(field, models.ForeignKey):
        if field.related_model is Unit:
            return "单位名称或代码（须在您的权限范围内）"
        if field.related_model is Person:
            return "人员姓名（所属单位内在岗人员）"
        if field.related_model is spec.model:
            return f"所属{spec.item_label}的{header(spec, Column(spec.natural_key[0]))}"
        related = register_for(field.related_model)
        return f"{related.item_label}的{header(related, Column(related.natural_key[0]))}"
    if isinstance(field, models.IntegerField | models.DecimalField):
        return "数字"
    return "文字"


# -- template and export --------------------------------------------------------------------------
def _sheet(book: Workbook, title: str, headers: list[str], required: list[bool], first: bool = False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    sheet.append(headers)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3D6D6")
    for i, cell in enumerate(sheet[1]):
        cell.font = bold
        if i < len(required) and required[i]:
            cell.fill = fill
        sheet.column_dimensions[get_column_letter(i + 1)].width = max(12, len(headers[i]) * 2 + 2)
    sheet.freeze_panes = "A2"
    return sheet


def _child_columns(spec: Register, child: Child) -> list[Column]:
    """A child sheet: the item's natural key first, then the child's own columns."""
    return [Column(child.fk, header=header(spec, Column(spec.natural_key[0])), required=True), *child.columns]


def template_bytes(spec: Register) -> bytes:
    """Empty sheets with the register's columns, drop-down lists for choices, and a sheet of notes."""
    book = Workbook()
    options = None
    notes_rows: list[list[str]] = []
    option_columns = 0
    sheets = [(spec.item_label, spec.model, list(spec.import_columns))]
    sheets += [(child.label, child.model, _child_columns(spec, child)) for child in spec.children]
    for n, (title, model, columns) in enumerate(sheets):
        is_item = model is spec.model
        heads = [header(spec, c, None if is_item else model) for c in columns]
        sheet = _sheet(book, title, heads, [c.required for c in columns], first=n == 0)
        if options is None:
            options = book.create_sheet("选项")
        for i, column in enumerate(columns, start=1):
            if not is_item and column.field == child_fk(model, spec):
                notes_rows.append(
                    [f"{title}·{heads[i - 1]}", "必填", f"所属{spec.item_label}的{heads[i - 1]}"]
                )
                continue
            hint = _hint(spec, column, None if is_item else model)
            notes_rows.append([f"{title}·{heads[i - 1]}" if not is_item else heads[i - 1],
                               "必填" if column.required else "", hint])  # fmt: skip
            if choices := _choices(spec, column, None if is_item else model):
                # each choice column's options in the next free column of 选项 (within the import's
                # column limit, which applies to every sheet of the file)
                option_columns += 1
                letter, target = get_column_letter(option_columns), get_column_letter(i)
                for row, (_, label) in enumerate(choices, start=1):
                    options[f"{letter}{row}"] = label
                validation = DataValidation(
                    type="list", formula1=f"=选项!${letter}$1:${letter}${len(choices)}", allow_blank=True
                )
                validation.error = "请从下拉列表中选择"
                sheet.add_data_validation(validation)
                validation.add(f"{target}2:{target}{MAX_IMPORT_ROWS + 1}")
    notes = book.create_sheet("填写说明")
    notes.append(["列", "是否必填", "填写要求"])
    for row in notes_rows:
        notes.append(row)
    notes.append([])
    notes.append(["说明", "", "红色表头为必填列；整张表全部无误才会导入，有任何错误都不会导入任何一行。"])
    notes.append(
        ["状态", "", "填写已办理到的状态时，须同时填写经过的各步骤的日期等内容，系统按办理步骤逐一核对。"]
    )
    if options is not None:
        options.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def child_fk(model: type[models.Model], spec: Register) -> str:
    return next(c.fk for c in spec.children if c.model is model)


def export_bytes(spec: Register, items: Iterable[Any], viewer: Any = None, title: str = "") -> bytes:
    """The items as the template's columns (plus their deadline), presented as ``viewer`` may see them,
    ready to print: a title row, 序号, columns as wide as their contents, A4 landscape fitted to the
    page width with the header row repeated. Text a spreadsheet would run as a formula stays text. The
    file imports again as it is (the title row and the added columns are skipped)."""
    columns = list(spec.columns)
    headers = ["序号", *(header(spec, c) for c in columns), *EXPORT_ONLY[1:]]
    book = Workbook()
    sheet = book.active
    sheet.title = spec.item_label[:31]
    sheet.append([title or f"{spec.label}（{cn_date(today())}导出）"])
    sheet.append(headers)
    now = today()
    limit = soon_limit(now)
    items = list(items)
    for n, item in enumerate(items, start=1):
        state = due_state(item.due_date, spec.workflow.is_open(item.status), now, limit)
        sheet.append(
            [
                n,
                *(display(spec, item, c.field, viewer) for c in columns),
                item.due_label,
                item.due_date,
                state.value,
            ]
        )
    print_setup(sheet, headers, [False, *(c.required for c in columns)])
    for child in spec.children:
        key = spec.natural_key[0]
        heads = [header(spec, Column(key))] + [header(spec, c, child.model) for c in child.columns]
        child_sheet = _sheet(book, child.label, heads, [])
        rows = child.model._default_manager.filter(**{f"{child.fk}__in": items}).select_related(child.fk)
        for row in rows:
            parent = getattr(row, child.fk)
            values = [getattr(parent, key)] + [child_display(child, row, c) for c in child.columns]
            child_sheet.append(values)
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT
                as_text_cell(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def child_display(child: Child, row: Any, column: Column) -> Any:
    field = child.model._meta.get_field(column.field)
    if field.choices:
        return getattr(row, f"get_{column.field}_display")()
    value = getattr(row, column.field)
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    return "" if value is None else value


# -- import -----------------------------------------------------------------------------------------
def parse_date(value: Any) -> date:
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
    raise ValueError(f"“{text[:40]}”不是有效日期（应为 2024-03-01 或 2024年3月1日）")


class _Resolver:
    """Turns cell text into field values, looking units, people and linked items up in the scope (each
    lookup table read once per file)."""

    def __init__(self, spec: Register, scope_ids: list[int]):
        self.spec = spec
        self.scope_ids = scope_ids
        self.units: dict[str, Unit] = {}
        for unit in Unit.objects.filter(pk__in=scope_ids):
            for key in (unit.name, unit.code, unit.short_name):
                if key:
                    self.units.setdefault(key, unit)
        self._people: dict[str, list[Person]] | None = None
        self._linked: dict[type, dict[str, models.Model]] = {}
        self._columns: dict[tuple, tuple[Any, dict[str, str], str]] = {}
        self._converters: dict[tuple, Callable[[Any, Unit | None], Any]] = {}

    def people(self) -> dict[str, list[Person]]:
        if self._people is None:
            self._people = {}
            for person in Person.objects.filter(unit_id__in=self.scope_ids, is_active=True).select_related(
                "unit"
            ):
                self._people.setdefault(person.name, []).append(person)
        return self._people

    def linked(self, model: type[models.Model]) -> dict[str, models.Model]:
        if model not in self._linked:
            key = register_for(model).natural_key[0]
            units = services.linkable_unit_ids(model, self.scope_ids)
            rows = model._default_manager.filter(unit_id__in=units).select_related("unit")
            self._linked[model] = {str(getattr(r, key)): r for r in rows}
        return self._linked[model]

    def _column(self, model: type[models.Model], column: Column) -> tuple[Any, dict[str, str], str]:
        """The column's field, its choices by label and code, and their list for messages (read once)."""
        key = (model, column.field)
        if key not in self._columns:
            choices = _choices(self.spec, column, None if model is self.spec.model else model)
            by_text = {label: code for code, label in choices} | {code: code for code, _ in choices}
            self._columns[key] = (_field(model, column), by_text, "、".join(label for _, label in choices))
        return self._columns[key]

    def value(self, model: type[models.Model], column: Column, raw: Any, unit: Unit | None = None) -> Any:
        """The field value of a cell; ``unit`` is the row's own unit, which settles people's names."""
        return self.converter(model, column)(raw, unit)

    def converter(self, model: type[models.Model], column: Column) -> Callable[[Any, Unit | None], Any]:
        """``value`` for the cells of one column: what the field is, and so how its cells are read, is
        worked out once per file, not once per cell (an import may have a million cells)."""
        key = (model, column.field)
        if key not in self._converters:
            self._converters[key] = self._converter(model, column)
        return self._converters[key]

    def _converter(self, model: type[models.Model], column: Column) -> Callable[[Any, Unit | None], Any]:
        field, by_text, listed = self._column(model, column)
        if field.many_to_many:
            empty: Callable[[], Any] = list
        elif field.has_default():
            empty = field.get_default
        else:
            blank = None if (field.null or isinstance(field, models.ForeignKey)) else ""
            empty = lambda: blank  # noqa: E731
        read: Callable[[Any, Any, Unit | None], Any]
        if by_text:

            def read(raw: Any, text: Any, unit: Unit | None) -> Any:
                if isinstance(text, str) and text in by_text:
                    return by_text[text]
                raise ValueError(f"“{str(text)[:40]}”不是可选值（{listed}）")

        elif isinstance(field, models.DateField):
            read = lambda raw, text, unit: parse_date(raw)  # noqa: E731
        elif isinstance(field, models.BooleanField):
            read = _boolean
        elif field.many_to_many:

            def read(raw: Any, text: Any, unit: Unit | None) -> Any:
                return [self._person(name, unit) for name in LIST_SEPARATORS.split(str(text)) if name]

        elif isinstance(field, models.ForeignKey):
            read = lambda raw, text, unit: self._foreign(field, str(text), unit)  # noqa: E731
        elif isinstance(field, models.IntegerField):
            read = _integer
        elif isinstance(field, models.DecimalField):
            read = _decimal
        else:
            read = lambda raw, text, unit: str(text)  # noqa: E731

        def convert(raw: Any, unit: Unit | None) -> Any:
            if raw is None:
                return empty()
            text = raw if isinstance(raw, date) else str(raw).strip()
            if text == "":
                return empty()
            return read(raw, text, unit)

        return convert

    def _person(self, text: str, unit: Unit | None) -> Person:
        matches = self.people().get(text, [])
        if len(matches) > 1 and unit is not None:  # two 卢兰 in the county: the one in the row's unit
            matches = [p for p in matches if p.unit_id == unit.pk] or matches
        if not matches:
            raise ValueError(f"人员“{text[:40]}”不存在或不在您的权限范围内")
        if len(matches) > 1:
            raise ValueError(
                f"有{len(matches)}名在岗人员叫“{text}”，且都不在本行的所属单位，无法确定是哪一位"
            )
        return matches[0]

    def _foreign(self, field: models.ForeignKey, text: str, unit: Unit | None = None) -> Any:
        if field.related_model is Unit:
            if text not in self.units:
                raise ValueError(f"单位“{text[:40]}”不存在或不在您的权限范围内")
            return self.units[text]
        if field.related_model is Person:
            return self._person(text, unit)
        linked = self.linked(field.related_model)
        if text not in linked:
            label = register_for(field.related_model).item_label
            raise ValueError(f"{label}“{text[:40]}”不存在或不在您的权限范围内")
        return linked[text]


def _boolean(raw: Any, text: Any, unit: Unit | None) -> bool:
    if str(text).lower() in TRUE_WORDS:
        return True
    if str(text).lower() in FALSE_WORDS:
        return False
    raise ValueError(f"“{str(text)[:40]}”应填“是”或“否”")


def _integer(raw: Any, text: Any, unit: Unit | None) -> int:
    try:
        return int(Decimal(str(text)))
    except (InvalidOperation, ValueError):
        raise ValueError(f"“{str(text)[:40]}”不是整数") from None


def _decimal(raw: Any, text: Any, unit: Unit | None) -> Decimal:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        raise ValueError(f"“{str(text)[:40]}”不是数字") from None


def _cell(value: Any) -> Any:
    """A cell as the importer reads it: whole numbers as integers (Excel stores every number as a float),
    text trimmed and cut at a sane length."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        if len(value) > xlsx_guard.MAX_CELL_CHARS:
            raise ImportFailed([f"单元格内容过长（超过{xlsx_guard.MAX_CELL_CHARS}字）：“{value[:20]}……”"])
        return value or None
    return value


def read_sheet(rows: list[list], known: dict[str, Any], ignored: set[str], name: str, required: list[str],
               where: str = "") -> list[tuple[int, dict[str, Any]]]:  # fmt: skip
    """(row number, {header: cell}) for each non-empty row; bad headers raise ImportFailed. ``where`` names
    a sheet other than the first in the messages."""
    if not rows:
        raise ImportFailed([f"{name}：工作表{where}是空的"])
    first = 0
    title = [v for v in rows[0] if _cell(v) is not None]
    if len(rows) > 1 and len(title) == 1 and str(_cell(title[0])) not in known:  # an export's title row
        first = 1
    headers = [str(_cell(h) or "") for h in rows[first]]
    errors = [
        f"{where}第1行：未知的列“{h[:40]}”" for h in headers if h and h not in known and h not in ignored
    ]
    errors += [f"{where}第1行：缺少必填列“{h}”" for h in required if h not in headers]
    if errors:
        raise ImportFailed(errors)
    wanted = [(i, h) for i, h in enumerate(headers) if h in known]
    if not wanted:
        return []
    heads = [h for _, h in wanted]
    indexes = [i for i, _ in wanted]
    pick = itemgetter(*indexes) if len(indexes) > 1 else lambda values: (values[indexes[0]],)
    padding = [None] * (max(indexes) + 1)
    result = []
    for number, values in enumerate(rows[first + 1 :], start=first + 2):
        if len(values) < len(padding):  # a short row: the cells it lacks are empty
            values = [*values, *padding[len(values) :]]
        cells = list(map(_cell, pick(values)))
        if cells.count(None) < len(cells):
            result.append((number, dict(zip(heads, cells, strict=True))))
    return result


def read_rows(spec: Register, data: bytes, name: str) -> tuple[list, dict[Child, list]]:
    """The item rows of the first sheet, and each child sheet's rows; a bad or hostile file raises
    ImportFailed before it is parsed (``fazhi.core.xlsx_guard``)."""
    try:
        xlsx_guard.check(data, name, max_rows=MAX_IMPORT_ROWS)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in book.sheet_names[:1]}
        first = sheets[book.sheet_names[0]]
        for child in spec.children:
            if child.label in book.sheet_names:
                sheets[child.label] = book.get_sheet_by_name(child.label).to_python(skip_empty_area=False)
    except xlsx_guard.UnsafeWorkbook as exc:
        raise ImportFailed([str(exc)]) from exc
    except (CalamineError, ValueError, IndexError) as exc:
        raise ImportFailed([f"{name}：不是有效的 Excel（.xlsx）文件（{type(exc).__name__}）"]) from exc
    known = {header(spec, c): c for c in spec.import_columns}
    ignored = set(EXPORT_ONLY) | {header(spec, c) for c in spec.columns if not c.importable}
    required = [h for h, c in known.items() if c.required]
    rows = read_sheet(first, known, ignored, name, required)
    if not rows:
        raise ImportFailed([f"{name}：没有数据行"])
    children: dict[Child, list] = {}
    for child in spec.children:
        if child.label not in sheets:
            continue
        columns = _child_columns(spec, child)
        known_c = {
            header(spec, c, child.model) if c.field != child.fk else columns[0].header: c for c in columns
        }
        heads = [h for h, c in known_c.items() if c.required]
        children[child] = read_sheet(sheets[child.label], known_c, set(), name, heads, child.label)  # type: ignore[arg-type]
    return rows, children


def _row_errors(
    number: int, exc: ValidationError, head_of: Callable[[str], str | None], sheet: str = ""
) -> list[str]:
    errors = []
    if not hasattr(exc, "error_dict"):
        return [f"{sheet}第{number}行：{m}" for m in exc.messages]
    for field, messages in exc.message_dict.items():
        head = head_of(field) if field != NON_FIELD_ERRORS else None
        where = f"{sheet}第{number}行「{head}」" if head else f"{sheet}第{number}行"
        errors += [f"{where}：{m}" for m in messages]
    return errors


def import_workbook(
    spec: Register,
    data: bytes,
    name: str,
    *,
    actor: User,
    scope_ids: list[int],
    progress: Callable[[int, int], None] | None = None,
) -> list[models.Model]:
    """Import every row or none: any problem in any row raises ImportFailed listing them all.

    The cells of every row are read first; the natural keys already taken are then read for the keys
    the file has (not for the whole register, which may hold millions); then each row, in order, is
    checked by the service and against the rows above it."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed([f"{name}：文件过大，上限为 {MAX_IMPORT_BYTES // 1024 // 1024} MB"])
    with no_cyclic_gc():
        return _import(spec, data, name, actor=actor, scope_ids=scope_ids, progress=progress)


def _import(spec: Register, data: bytes, name: str, *, actor: User, scope_ids: list[int],
            progress: Callable[[int, int], None] | None) -> list[models.Model]:  # fmt: skip
    rows, child_rows = read_rows(spec, data, name)
    resolver = _Resolver(spec, scope_ids)
    columns = {header(spec, c): c for c in spec.import_columns}
    head_by_field = {c.field: h for h, c in columns.items()}
    deadline = time.monotonic() + IMPORT_TIME_LIMIT_SECONDS

    def in_time() -> None:
        if time.monotonic() > deadline:
            raise ImportFailed(
                [f"{name}：核对超过{IMPORT_TIME_LIMIT_SECONDS // 60}分钟仍未完成，已停止，未导入任何一行"]
            )

    failed: list[tuple[int, list[str]]] = []  # (row number, its messages): each row fails at one step
    built = _built_items(spec, rows, columns, resolver, failed, in_time)
    known_keys = _taken_keys(spec, scope_ids, {key for *_, key in built if key is not None})
    pending: list[services.Pending] = []
    related: list[dict[str, list]] = []
    in_file: dict[tuple, int] = {}
    by_key: dict[str, Any] = {}
    note = f"从{name}导入"
    for n, (number, item, m2m, key) in enumerate(built):
        in_time()
        if key is not None and key in in_file:
            label = "、".join(header(spec, Column(f)) for f in spec.natural_key)
            failed.append((number, [f"第{number}行：与第{in_file[key]}行重复（{label}相同）"]))
            continue
        try:
            checked = services.prepare_new(
                spec, item, actor=actor, scope_ids=scope_ids, note=note, known_keys=known_keys
            )
            services.check_related(spec, m2m, scope_ids, None, item=checked.item)
        except ValidationError as exc:
            failed.append((number, _row_errors(number, exc, head_by_field.get)))
            continue
        if key is not None:
            in_file[key] = number
            by_key[str(key[1])] = item
        pending.append(checked)
        related.append(m2m)
        if progress and n % 500 == 0:
            progress(n, len(rows))
    errors = [message for _, messages in sorted(failed, key=itemgetter(0)) for message in messages]
    children = _read_children(spec, child_rows, by_key, resolver, errors)
    if errors:
        raise ImportFailed(errors)
    try:
        with transaction.atomic():
            items = _write(spec, pending, related, children, actor)
    except IntegrityError as exc:
        raise ImportFailed(
            [
                f"{name}：导入时其他用户已登记了相同的{spec.item_label}，本次未导入任何一行；请重新导入查看重复的行。"
            ]
        ) from exc
    if progress:
        progress(len(rows), len(rows))
    return items


Built = tuple[int, Any, dict[str, list], tuple | None]  # row number, new item, many-to-many, natural key


def _built_items(spec: Register, rows: list[tuple[int, dict[str, Any]]], columns: dict[str, Column],
                 resolver: _Resolver, failed: list[tuple[int, list[str]]],
                 in_time: Callable[[], None]) -> list[Built]:  # fmt: skip
    """Each row's cells as a new item (not yet checked), its many-to-many values and its natural key;
    a row with a cell that cannot be read goes to ``failed`` instead."""
    model = spec.model
    plan = [
        (head, column.field, resolver.converter(model, column), column.required, _field(model, column))
        for head, column in columns.items()
    ]
    nullable = {name: field.null for _, name, _, _, field in plan}
    built: list[Built] = []
    for number, cells in rows:
        in_time()
        values: dict[str, Any] = {}
        m2m: dict[str, list] = {}
        problems = []
        for head, name, convert, required, field in plan:
            try:
                value = convert(cells.get(head), values.get("unit"))
            except ValueError as exc:
                problems.append(f"第{number}行「{head}」：{exc}")
                continue
            if required and value in (None, "", []):
                problems.append(f"第{number}行「{head}」：{REQUIRED}")
            if field.many_to_many:
                m2m[name] = value
            else:
                values[name] = value
        if problems:
            failed.append((number, problems))
            continue
        item = model(**{k: v for k, v in values.items() if v is not None or nullable[k]})
        built.append((number, item, m2m, services.natural_key(spec, item)))
    return built


KEYS_PER_QUERY = 10_000  # values in one IN list where the database limits them (SQLite: 32,766)


def _taken_keys(spec: Register, scope_ids: list[int], keys: set[tuple]) -> set[tuple]:
    """The natural keys (unit id, key fields…) stored in the scope that may be among ``keys``: the rows
    whose first key field has a value one of ``keys`` has, read a few thousand values at a time."""
    if not keys:
        return set()
    first = spec.natural_key[0]
    values = list({key[1] for key in keys})
    manager = spec.model._default_manager
    # one query where the database takes any number of parameters (PostgreSQL): a planner without
    # statistics answers each query by scanning the unit's rows, once per query
    step = KEYS_PER_QUERY if connections[manager.db].features.max_query_params else max(len(values), 1)
    lookups = [{f"{first}__in": values[i : i + step]} for i in range(0, len(values), step)]
    if None in values:  # NULL is in no IN list
        lookups.append({f"{first}__isnull": True})
    taken: set[tuple] = set()
    for lookup in lookups:
        rows = manager.filter(unit_id__in=scope_ids, **lookup).values_list("unit_id", *spec.natural_key)
        taken.update(rows)
    return taken


def _read_children(spec: Register, child_rows: dict[Child, list], by_key: dict[str, Any], resolver: _Resolver,
                   errors: list[str]) -> dict[Child, list]:  # fmt: skip
    """Child rows, each attached to the item of the file its first column names."""
    result: dict[Child, list] = {}
    for child, rows in child_rows.items():
        result[child] = []
        key_head = header(spec, Column(spec.natural_key[0]))
        heads = {header(spec, c, child.model): c for c in child.columns}
        for number, cells in rows:
            parent = by_key.get(str(cells.get(key_head, "")).strip())
            if parent is None:
                errors.append(f"{child.label}第{number}行「{key_head}」：本文件中没有这个{spec.item_label}")
                continue
            values, row_errors = {}, []
            for head, column in heads.items():
                try:
                    values[column.field] = resolver.value(child.model, column, cells.get(head), parent.unit)
                except ValueError as exc:
                    row_errors.append(f"{child.label}第{number}行「{head}」：{exc}")
                    continue
                if column.required and values[column.field] in (None, ""):
                    row_errors.append(f"{child.label}第{number}行「{head}」：{REQUIRED}")
            if row_errors:
                errors += row_errors
                continue
            row = child.model(**values)
            setattr(row, child.fk, parent)
            try:
                row.full_clean(exclude=[child.fk])
            except ValidationError as exc:
                head_of = {c.field: h for h, c in heads.items()}.get
                errors += _row_errors(number, exc, head_of, child.label)
                continue
            result[child].append(row)
    return result


def _write(
    spec: Register, pending: list, related: list[dict[str, list]], children: dict[Child, list], actor: User
):
    """Write the checked rows in bulk: the items, their audit history, their timelines, their
    many-to-many links and child rows, then tell the indicators once."""
    items = [p.item for p in pending]
    now = timezone.now()
    for item in items:
        item.version = 1
        item.created_at = item.updated_at = now
    items = spec.model._default_manager.bulk_create(items, batch_size=BATCH)
    bulk.insert_history(items, user_id=actor.pk, at=now, reason="导入")
    content_type = ContentType.objects.get_for_model(spec.model)
    bulk.insert(
        StatusChange,
        (
            {
                "content_type_id": content_type.pk,
                "object_id": p.item.pk,
                "from_status": old,
                "to_status": new,
                "label": label,
                "on": on,
                "at": now,
                "by_id": actor.pk,
                "note": "",
            }
            for p in pending
            for old, new, label, on in p.changes
        ),
    )
    for name in {n for r in related for n in r}:
        through = getattr(spec.model, name).through
        target = _field(spec.model, Column(name)).related_model._meta.model_name
        source = f"{spec.model._meta.model_name}_id"
        links = [
            through(**{source: p.item.pk, f"{target}_id": obj.pk})
            for p, r in zip(pending, related, strict=True)
            for obj in dict.fromkeys(r.get(name, []))
        ]
        through.objects.bulk_create(links, batch_size=2000)
    for child, rows in children.items():
        bulk_create_with_history(rows, child.model, batch_size=1000, default_user=actor)
    services.figures_changed_bulk(spec, items)
    return items
