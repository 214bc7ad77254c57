"""The 裁量基准 and 四张清单 registers: list, form, Excel import/export and audit from the declaration.

Both are ``linkable_below``: a unit's items may be relied on by the cases of the units below it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from fazhi.core.formats import cn_date
from fazhi.registers.spec import NOTE, RESPONSIBLE, STATUS, Column, Register, register
from fazhi.registers.workflow import Step, Workflow

from .models import DiscretionItem, ItemStatus, ListItem


def _repeal(item, on: date) -> None:
    if item.adopted_on and on < item.adopted_on:
        raise ValidationError({"repealed_on": f"废止日期不能早于施行日期（{cn_date(item.adopted_on)}）。"})


# 有效 → 已废止 (with its reason); nothing is pending on an adopted item.
ITEM_WORKFLOW = Workflow(
    states=dict(ItemStatus.choices),
    initial=ItemStatus.IN_FORCE,
    steps={
        ItemStatus.IN_FORCE: (
            Step(
                ItemStatus.REPEALED,
                "废止",
                date_field="repealed_on",
                requires=("repeal_reason",),
                effect=_repeal,
            ),
        ),
    },
    closed=frozenset({ItemStatus.IN_FORCE, ItemStatus.REPEALED}),
)

UNIT = Column("unit", header="制定单位", required=True, search=True)

DISCRETION_ITEMS = register(
    Register(
        key="discretion-items",
        model=DiscretionItem,
        label="行政裁量权基准",
        item_label="裁量基准",
        workflow=ITEM_WORKFLOW,
        columns=(
            UNIT,
            Column("number", required=True, listed=True, search=True),
            Column("code", required=True, listed=True, search=True),
            Column("violation", required=True, listed=True, search=True),
            Column("violated_basis", required=True),
            Column("penalty_basis", required=True, search=True),
            Column("tier", required=True, listed=True, filter=True),
            Column("circumstances"),
            Column("fine_min", listed=True),
            Column("fine_max", listed=True),
            Column("other_penalties"),
            Column("adopted_on", required=True),
            Column("repealed_on"),
            Column("repeal_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("number",),
        title_field="violation",
        year_field="adopted_on",
        summary=lambda item: [("罚款幅度", item.range_text), ("依据", item.penalty_basis)],
        linkable_below=True,
    )
)

LIST_ITEMS = register(
    Register(
        key="discretion-lists",
        model=ListItem,
        label="四张清单",
        item_label="清单事项",
        workflow=ITEM_WORKFLOW,
        columns=(
            UNIT,
            Column("number", required=True, listed=True, search=True),
            Column("kind", required=True, listed=True, filter=True),
            Column("matter", required=True, listed=True, search=True),
            Column("conditions", required=True),
            Column("basis", required=True, search=True),
            Column("adopted_on", required=True),
            Column("repealed_on"),
            Column("repeal_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("number",),
        title_field="matter",
        year_field="adopted_on",
        linkable_below=True,
    )
)
