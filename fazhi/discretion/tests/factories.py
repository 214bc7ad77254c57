"""Factories of the 裁量基准 and 四张清单 registers, and their recipes for the contract tests.

``XFactory.build(unit=…)`` is a new item with realistic entered values; ``XFactory(unit=…, actor=…)``
registers it through the services."""

from __future__ import annotations

from decimal import Decimal

import factory

from fazhi.discretion.models import DiscretionItem, ListItem, ListKind, Tier
from fazhi.registers import testing
from fazhi.registers.testing import RegisterItemFactory

VIOLATIONS = [
    "生产经营不符合食品安全标准的食品",
    "经营超过保质期的食品",
    "经营病死、毒死或者死因不明的禽畜肉类",
]
MATTERS = [
    "主动消除或者减轻违法行为危害后果",
    "配合行政机关查处违法行为有立功表现",
    "初次违法且危害后果轻微并及时改正",
]


class DiscretionItemFactory(RegisterItemFactory):
    """The 一般情节 tier of a 食品安全法第一百二十四条 violation: 2000元 to 20000元 unless given."""

    class Meta:
        model = DiscretionItem

    number = factory.LazyAttribute(lambda o: f"SC-124-{o.n}")
    code = "330217124000"
    violation = factory.LazyAttribute(lambda o: VIOLATIONS[o.n % len(VIOLATIONS)])
    violated_basis = "《中华人民共和国食品安全法》第三十四条"
    penalty_basis = "《中华人民共和国食品安全法》第一百二十四条第一款"
    tier = Tier.GENERAL
    circumstances = "货值金额不足一万元，首次被查处"
    fine_min = Decimal(2000)
    fine_max = Decimal(20000)
    other_penalties = "没收违法所得和违法生产经营的食品"
    adopted_on = factory.LazyAttribute(lambda o: o.start)


class ListItemFactory(RegisterItemFactory):
    """A 从轻处罚清单 item unless ``kind`` is given."""

    class Meta:
        model = ListItem

    number = factory.LazyAttribute(lambda o: f"QD-{o.n:03d}")
    kind = ListKind.LIGHTER
    matter = factory.LazyAttribute(lambda o: MATTERS[o.n % len(MATTERS)])
    conditions = "主动消除或者减轻违法行为危害后果，配合调查如实陈述"
    basis = "《中华人民共和国行政处罚法》第三十二条第（一）项"
    adopted_on = factory.LazyAttribute(lambda o: o.start)


testing.recipe("discretion-items", factory=DiscretionItemFactory)
testing.recipe("discretion-lists", factory=ListItemFactory)
