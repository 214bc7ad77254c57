"""The 检查对象名录库 and the 执法检查人员名录库 (with their 回避 conflicts as child rows), declared once
for the shared pages, Excel import/export and audit."""

from __future__ import annotations

from fazhi.registers.spec import NOTE, RESPONSIBLE, STATUS, Child, Column, Register, register
from fazhi.registers.workflow import Step, Workflow

from .models import Conflict, InspectionObject, Inspector, ListingStatus

# nothing is pending on a 名录 entry: in the list, or taken out of it
LISTING_WORKFLOW = Workflow(
    states=dict(ListingStatus.choices),
    initial="listed",
    steps={"listed": (Step("removed", "移出名录", date_field="removed_on", requires=("removal_reason",)),)},
    closed=frozenset({"listed", "removed"}),
)

UNIT = Column("unit", header="监管单位", required=True, search=True)

INSPECTION_OBJECTS = register(
    Register(
        key="inspection-objects",
        model=InspectionObject,
        label="检查对象名录库",
        item_label="检查对象",
        workflow=LISTING_WORKFLOW,
        columns=(
            UNIT,
            Column("name", required=True, listed=True, search=True),
            Column("credit_code", required=True, listed=True, search=True),
            Column("kind", required=True, listed=True, filter=True),
            Column("industry", required=True, listed=True, search=True),
            Column("region", required=True, listed=True, search=True),
            Column("risk", required=True, listed=True, filter=True),
            Column("listed_on", required=True),
            Column("removed_on"),
            Column("removal_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        natural_key=("credit_code",),
        title_field="name",
        year_field="listed_on",
    )
)

INSPECTORS = register(
    Register(
        key="inspectors",
        model=Inspector,
        label="执法检查人员名录库",
        item_label="执法检查人员",
        workflow=LISTING_WORKFLOW,
        columns=(
            Column("unit", required=True, search=True),
            Column("certificate", required=True, listed=True, search=True),
            Column("person", required=True, listed=True, search=True),
            Column("field", required=True, listed=True, search=True),
            Column("listed_on", required=True),
            Column("removed_on"),
            Column("removal_reason"),
            RESPONSIBLE,
            STATUS,
            NOTE,
        ),
        children=(
            Child(
                Conflict,
                fk="inspector",
                label="回避关系",
                columns=(Column("credit_code", required=True), Column("reason")),
            ),
        ),
        natural_key=("certificate",),
        title_field="certificate",
        year_field="listed_on",
    )
)
