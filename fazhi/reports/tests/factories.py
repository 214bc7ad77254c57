"""What the register contract tests need beyond the annual report's declaration: its parts are written
on the report's own editor before it goes to 审核 (fazhi.registers.testing.recipe)."""

from __future__ import annotations

from typing import Any

from fazhi.org.selectors import subtree_ids
from fazhi.registers.testing import Maker, recipe
from fazhi.registers.workflow import Step


def _write_parts(maker: Maker, report: Any, step: Step) -> None:
    """Draft the report's parts from the registers and write the ones only a person can."""
    from fazhi.reports import annual, builder

    if step.to != "reviewing" or report.status != "drafting":
        return
    scope = subtree_ids(report.unit)
    builder.ensure_parts(report, unit_ids=scope)
    texts = {
        p.part: (p.heading, p.text or "（一）认真履行第一责任人职责，年内专题研究法治政府建设工作3次。")
        for p in report.parts.all()
        if p.part != "other"
    }
    annual.save_text(report, texts, actor=maker.actor, scope_ids=scope)


recipe("annual-reports", prepare=_write_parts)
