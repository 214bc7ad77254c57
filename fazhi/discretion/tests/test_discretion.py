"""裁量基准 and 四张清单 as registers: the fine range in the database, an XLSX import through the
framework (every row or none, by row and column), 废止, and the items of a county offered to the units
below it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fazhi.discretion.models import DiscretionItem, ItemStatus, ListItem, ListKind, Tier
from fazhi.discretion.registers import DISCRETION_ITEMS, LIST_ITEMS
from fazhi.discretion.tests.factories import DiscretionItemFactory
from fazhi.org.models import UserRole
from fazhi.org.selectors import visible_unit_ids
from fazhi.org.tests.factories import UnitFactory, UserFactory
from fazhi.registers import excel, services
from fazhi.registers.selectors import link_choices
from fazhi.registers.testing import template_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_user(county):
    return UserFactory(unit=county["county"], role=UserRole.OPERATOR, username="county-basis")


def tier_row(number, tier, low, high):
    return {
        "制定单位": "青山县",
        "基准编号": number,
        "事项编码": "330217124000",
        "违法行为": "生产经营不符合食品安全标准的食品",
        "违法依据": "《中华人民共和国食品安全法》第三十四条",
        "处罚依据": "《中华人民共和国食品安全法》第一百二十四条第一款",
        "情节": tier,
        "罚款下限（元）": low,
        "罚款上限（元）": high,
        "其他处罚种类": "没收违法所得",
        "施行日期": "2024-01-01",
        "状态": "有效",
    }


def test_an_xlsx_of_tiers_is_imported_whole_or_not_at_all(county, county_user):
    scope = visible_unit_ids(county_user)
    bad = template_workbook(
        DISCRETION_ITEMS,
        [
            tier_row("124-1", "一般", 50000, 70000),
            tier_row("124-2", "严重", 90000, 80000),
            tier_row("124-3", "特别严重", 1, 2),
        ],
    )
    with pytest.raises(excel.ImportFailed) as failed:
        excel.import_workbook(DISCRETION_ITEMS, bad, "裁量基准.xlsx", actor=county_user, scope_ids=scope)
    messages = failed.value.messages
    assert any("第3行" in m and "罚款上限（80000元）不能低于罚款下限（90000元）" in m for m in messages)
    assert any("第4行「情节」" in m and "不是可选值" in m for m in messages)
    assert not DiscretionItem.objects.exists()
    good = template_workbook(
        DISCRETION_ITEMS,
        [
            tier_row("124-1", "一般", 50000, 70000),
            tier_row("124-2", "严重", 70000, 100000),
            tier_row("124-0", "轻微", "", ""),
        ],
    )
    excel.import_workbook(DISCRETION_ITEMS, good, "裁量基准.xlsx", actor=county_user, scope_ids=scope)
    got = {i.number: (i.tier, i.fine_min, i.fine_max, i.status) for i in DiscretionItem.objects.all()}
    assert got == {
        "124-1": (Tier.GENERAL, Decimal(50000), Decimal(70000), ItemStatus.IN_FORCE),
        "124-2": (Tier.GRAVE, Decimal(70000), Decimal(100000), ItemStatus.IN_FORCE),
        "124-0": (Tier.MINOR, None, None, ItemStatus.IN_FORCE),
    }
    assert DiscretionItem.objects.get(number="124-0").range_text == "不处罚款"


def test_a_list_is_imported_with_its_kind(county, county_user):
    data = template_workbook(
        LIST_ITEMS,
        [
            {
                "制定单位": "青山县",
                "清单编号": "BYCF-01",
                "清单类别": "不予处罚",
                "事项": "初次占道经营，经教育后立即改正",
                "适用条件": "初次违法，危害后果轻微并及时改正",
                "依据": "《中华人民共和国行政处罚法》第三十三条第一款",
                "施行日期": "2024-01-01",
                "状态": "有效",
            }
        ],
    )
    excel.import_workbook(
        LIST_ITEMS, data, "清单.xlsx", actor=county_user, scope_ids=visible_unit_ids(county_user)
    )
    (item,) = ListItem.objects.all()
    assert item.kind == ListKind.NO_PENALTY and str(item) == "不予处罚清单：初次占道经营，经教育后立即改正"


def test_the_fine_range_is_kept_by_the_database(county):
    base = DiscretionItemFactory.build(unit=county["county"], status=ItemStatus.IN_FORCE)
    for low, high in ((Decimal(3000), Decimal(2000)), (Decimal(-1), Decimal(2000)), (Decimal(100), None)):
        item = DiscretionItemFactory.build(
            unit=county["county"], status=ItemStatus.IN_FORCE, fine_min=low, fine_max=high, number=f"X{low}"
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            item.save()
    base.save()
    assert DiscretionItem.objects.count() == 1


def test_a_repealed_item_keeps_its_date_and_reason(county, county_user):
    scope = visible_unit_ids(county_user)
    item = DiscretionItemFactory(unit=county["county"], start=date(2024, 1, 1), actor=county_user)
    with pytest.raises(ValidationError) as refused:
        services.item_transition(
            DISCRETION_ITEMS,
            item,
            ItemStatus.REPEALED,
            actor=county_user,
            scope_ids=scope,
            on=date(2024, 6, 1),
        )
    assert "废止原因" in str(refused.value)
    services.item_transition(
        DISCRETION_ITEMS,
        item,
        ItemStatus.REPEALED,
        actor=county_user,
        scope_ids=scope,
        on=date(2024, 6, 1),
        values={"repeal_reason": "上位法修改"},
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.REPEALED and not item.in_force_on(date(2024, 6, 1))
    assert item.in_force_on(date(2024, 5, 31))


def test_a_countys_items_are_offered_below_it_and_not_to_another_county(county):
    item = DiscretionItemFactory(unit=county["county"], start=date(2024, 1, 1))
    other = DiscretionItemFactory(unit=UnitFactory(code="D", name="白水县"), start=date(2024, 1, 1))
    township = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-basis")
    offered = set(link_choices(DiscretionItem, visible_unit_ids(township)))
    assert item in offered and other not in offered
    assert county["county"].pk in services.linkable_unit_ids(DiscretionItem, visible_unit_ids(township))


def test_a_township_reads_the_countys_items_it_relies_on_but_not_another_countys(county, client):
    from django.urls import reverse

    item = DiscretionItemFactory(unit=county["county"], start=date(2024, 1, 1))
    other = DiscretionItemFactory(unit=UnitFactory(code="D", name="白水县"), start=date(2024, 1, 1))
    client.force_login(
        UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-read")
    )
    listed = client.get(reverse("registers:list", args=[DISCRETION_ITEMS.key])).content.decode()
    assert item.number in listed and other.number not in listed
    assert client.get(reverse("registers:detail", args=[DISCRETION_ITEMS.key, item.pk])).status_code == 200
    assert client.get(reverse("registers:detail", args=[DISCRETION_ITEMS.key, other.pk])).status_code == 403
    exported = client.get(reverse("registers:export", args=[DISCRETION_ITEMS.key]))
    assert exported.status_code == 200
    # reading is not writing: the county's item cannot be edited from the township
    edit = client.post(reverse("registers:edit", args=[DISCRETION_ITEMS.key, item.pk]), {"note": "改"})
    assert edit.status_code == 403
