"""Demo 裁量基准 and 四张清单 of every demo county, adopted by the county (its root unit) and relied on by
the cases of its departments and townships (``fazhi.enforcement.demo`` builds them first).

The items follow the published 裁量基准 of county 市场监管、生态环境、交通运输、城市管理 … bureaus: the
statutory range of each violation split by 情节, each tier with its 违法依据 and 处罚依据."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from fazhi.core.demo import DemoContext
from fazhi.org.models import Unit, UnitLevel
from fazhi.registers.services import refresh_deadline
from fazhi.registers.spec import register_for

from .models import DiscretionItem, ItemStatus, ListItem, ListKind, Tier

ADOPTED = date(2022, 7, 1)  # the counties adopted their 基准 after 国办发〔2022〕27号


@dataclass(frozen=True)
class Violation:
    field: str  # the enforcement area (a key of ``AREAS`` in the enforcement demo)
    code: str  # 事项编码 in the 权责清单
    violation: str
    violated: str
    basis: str
    other: str
    tiers: tuple[tuple[str, str, int | None, int | None], ...]  # (情节, 情节描述, 下限, 上限)


FOOD = "《中华人民共和国食品安全法》"
WATER = "《中华人民共和国水污染防治法》"
AIR = "《中华人民共和国大气污染防治法》"
ROAD = "《中华人民共和国道路运输条例》"
CITY = "《城市市容和环境卫生管理条例》"

VIOLATIONS = (
    Violation("market", "330217124000", "生产经营不符合食品安全标准的食品", f"{FOOD}第三十四条",
              f"{FOOD}第一百二十四条第一款", "没收违法所得和违法生产经营的食品",
              ((Tier.GENERAL, "货值金额不足一万元，未造成危害后果", 50000, 70000),
               (Tier.SERIOUS, "货值金额不足一万元，经营时间较长或者数量较多", 70000, 90000),
               (Tier.GRAVE, "造成危害后果或者拒不改正", 90000, 100000))),
    Violation("market", "330217122000", "未取得食品经营许可从事食品经营活动", f"{FOOD}第三十五条第一款",
              f"{FOOD}第一百二十二条第一款", "没收违法所得和违法经营的食品",
              ((Tier.GENERAL, "货值金额不足一万元，经营时间不满三个月", 50000, 70000),
               (Tier.GRAVE, "货值金额不足一万元，经营时间三个月以上或者责令改正后仍经营", 70000, 100000))),
    Violation("market", "330217126000", "未按规定查验记录食品进货或者贮存食品", f"{FOOD}第五十三条",
              f"{FOOD}第一百二十六条第一款", "警告",
              ((Tier.MINOR, "首次发现并当场改正", None, None),
               (Tier.GENERAL, "责令改正后拒不改正", 5000, 20000),
               (Tier.SERIOUS, "拒不改正且涉及婴幼儿食品等特殊食品", 20000, 35000),
               (Tier.GRAVE, "拒不改正且造成食品安全事故隐患", 35000, 50000))),
    Violation("market", "330217042000", "经营者不明码标价", "《中华人民共和国价格法》第十三条",
              "《中华人民共和国价格法》第四十二条", "没收违法所得",
              ((Tier.MINOR, "首次违法，及时改正", None, None),
               (Tier.GENERAL, "涉及商品或者服务种类较少", 500, 2500),
               (Tier.GRAVE, "涉及商品或者服务种类较多或者屡次违法", 2500, 5000))),
    Violation("ecology", "330218083000", "超标排放水污染物", f"{WATER}第十条",
              f"{WATER}第八十三条第（二）项", "责令限制生产、停产整治",
              ((Tier.GENERAL, "超标倍数在0.5倍以下", 100000, 300000),
               (Tier.SERIOUS, "超标倍数在0.5倍以上1倍以下", 300000, 600000),
               (Tier.GRAVE, "超标倍数在1倍以上或者排入饮用水水源保护区", 600000, 1000000))),
    Violation("ecology", "330218119000", "露天焚烧秸秆、落叶等产生烟尘污染的物质", f"{AIR}第七十七条",
              f"{AIR}第一百一十九条第一款", "",
              ((Tier.GENERAL, "焚烧面积较小，及时熄灭", 500, 1000),
               (Tier.GRAVE, "焚烧面积较大或者在禁烧区内焚烧", 1000, 2000))),
    Violation("ecology", "330218115000", "施工工地未采取有效防尘降尘措施", f"{AIR}第六十九条第三款",
              f"{AIR}第一百一十五条第一款第（一）项", "责令停工整治",
              ((Tier.GENERAL, "未覆盖裸露地面面积较小", 10000, 40000),
               (Tier.SERIOUS, "多项防尘措施未落实", 40000, 70000),
               (Tier.GRAVE, "拒不改正或者造成严重扬尘污染", 70000, 100000))),
    Violation("transport", "330219063000", "未取得道路运输经营许可擅自从事道路普通货物运输经营",
              f"{ROAD}第二十四条", f"{ROAD}第六十三条", "没收违法所得",
              ((Tier.GENERAL, "首次查处，无违法所得或者违法所得不足一万元", 30000, 50000),
               (Tier.SERIOUS, "第二次查处", 50000, 80000),
               (Tier.GRAVE, "三次以上查处或者造成交通事故", 80000, 100000))),
    Violation("transport", "330219070000", "道路运输车辆未按规定维护和检测", f"{ROAD}第三十条",
              f"{ROAD}第七十条第一款", "",
              ((Tier.GENERAL, "一辆车未按规定维护和检测", 1000, 3000),
               (Tier.GRAVE, "多辆车或者多次未按规定维护和检测", 3000, 5000))),
    Violation("transport", "330219064000", "车辆超限运输", "《公路安全保护条例》第三十五条",
              "《公路安全保护条例》第六十四条", "责令卸载",
              ((Tier.MINOR, "超限率5%以下，当场卸载", None, None),
               (Tier.GENERAL, "超限率5%以上30%以下", 500, 10000),
               (Tier.GRAVE, "超限率30%以上", 10000, 30000))),
    Violation("urban", "330220036002", "擅自占用城市道路、桥梁等场所摆摊设点经营", f"{CITY}第十四条",
              f"{CITY}第三十六条第（二）项", "警告",
              ((Tier.MINOR, "初次违法，经教育后立即改正", None, None),
               (Tier.GENERAL, "责令改正后仍占道经营", 50, 200),
               (Tier.GRAVE, "多次占道经营或者影响交通", 200, 500))),
    Violation("urban", "330220036005", "未经批准擅自设置户外广告", f"{CITY}第十一条",
              f"{CITY}第三十六条第（五）项", "责令限期拆除",
              ((Tier.GENERAL, "面积10平方米以下", 200, 1000),
               (Tier.GRAVE, "面积10平方米以上或者逾期不拆除", 1000, 5000))),
    Violation("urban", "330220026000", "随意倾倒、抛撒、堆放建筑垃圾",
              "《城市建筑垃圾管理规定》第十五条", "《城市建筑垃圾管理规定》第二十六条", "",
              ((Tier.GENERAL, "单位倾倒量5立方米以下", 5000, 20000),
               (Tier.SERIOUS, "单位倾倒量5立方米以上20立方米以下", 20000, 35000),
               (Tier.GRAVE, "单位倾倒量20立方米以上或者倾倒至水体", 35000, 50000))),
    Violation("agriculture", "330221055000", "经营劣质农药", "《农药管理条例》第二十七条",
              "《农药管理条例》第五十六条第一款", "没收违法所得、违法经营的农药",
              ((Tier.GENERAL, "货值金额不足一万元，首次查处", 5000, 20000),
               (Tier.SERIOUS, "货值金额不足一万元，经营时间较长", 20000, 35000),
               (Tier.GRAVE, "造成农作物药害等危害后果", 35000, 50000))),
    Violation("emergency", "330222097000", "未按规定对从业人员进行安全生产教育和培训",
              "《中华人民共和国安全生产法》第二十八条", "《中华人民共和国安全生产法》第九十七条第（三）项",
              "责令限期改正",
              ((Tier.GENERAL, "未培训人数3人以下", 10000, 30000),
               (Tier.SERIOUS, "未培训人数3人以上10人以下", 30000, 60000),
               (Tier.GRAVE, "未培训人数10人以上或者逾期未改正", 60000, 100000))),
    Violation("culture", "330223027000", "未经许可擅自从事互联网上网服务经营活动",
              "《互联网上网服务营业场所管理条例》第七条", "《互联网上网服务营业场所管理条例》第二十七条",
              "没收专用工具、设备",
              ((Tier.GENERAL, "违法经营额不足一万元，电脑10台以下", 10000, 30000),
               (Tier.GRAVE, "违法经营额不足一万元，电脑10台以上或者接纳未成年人", 30000, 50000))),
)  # fmt: skip

PUNISH = "《中华人民共和国行政处罚法》"
LISTS = (
    (ListKind.NO_PENALTY, "BYCF-01", "初次在城市道路摆摊设点经营，经教育后立即改正",
     "初次违法，危害后果轻微并及时改正", f"{PUNISH}第三十三条第一款"),
    (ListKind.NO_PENALTY, "BYCF-02", "食品经营者首次未按规定查验记录进货，当场改正",
     "初次违法，未造成危害后果，当场改正", f"{PUNISH}第三十三条第一款；{FOOD}第一百二十六条"),
    (ListKind.NO_PENALTY, "BYCF-03", "车辆首次超限率5%以下，当场卸载",
     "初次违法，超限率5%以下，主动卸载消除违法状态", f"{PUNISH}第三十三条第一款"),
    (ListKind.NO_PENALTY, "BYCF-04", "经营者首次未明码标价，当场改正",
     "初次违法，涉及商品种类较少，当场改正", f"{PUNISH}第三十三条第一款；《中华人民共和国价格法》第十三条"),
    (ListKind.NO_PENALTY, "BYCF-05", "首次露天焚烧，面积较小并及时熄灭",
     "初次违法，焚烧面积较小，未造成危害后果", f"{PUNISH}第三十三条第一款"),
    (ListKind.LIGHTER, "CQCF-01", "主动消除或者减轻违法行为危害后果",
     "在立案调查前主动消除或者减轻危害后果", f"{PUNISH}第三十二条第（一）项"),
    (ListKind.LIGHTER, "CQCF-02", "配合行政机关查处违法行为有立功表现",
     "如实陈述并提供查处其他违法行为的线索", f"{PUNISH}第三十二条第（四）项"),
    (ListKind.MITIGATED, "JQCF-01", "受他人胁迫或者诱骗实施违法行为",
     "有证据证明受他人胁迫或者诱骗", f"{PUNISH}第三十二条第（二）项"),
    (ListKind.MITIGATED, "JQCF-02", "主动供述行政机关尚未掌握的违法行为",
     "在行政机关掌握前主动供述", f"{PUNISH}第三十二条第（三）项"),
    (ListKind.NO_COERCION, "BYQZ-01", "市场主体违法行为情节显著轻微，能够当场改正的，不予查封、扣押",
     "情节显著轻微或者没有明显社会危害，当场改正", "《中华人民共和国行政强制法》第十六条第二款"),
    (ListKind.NO_COERCION, "BYQZ-02", "施工工地扬尘防治措施不到位但已立即整改的，不予查封施工设备",
     "未造成严重扬尘污染，立即整改", "《中华人民共和国行政强制法》第十六条第二款"),
)  # fmt: skip


@dataclass
class CountyItems:
    """The items one county adopted, as the case demo picks from them."""

    by_field: dict[str, list[DiscretionItem]]
    lists: dict[str, list[ListItem]]  # by kind


def counties() -> list[Unit]:
    """The demo counties: the units with 县直部门 under them."""
    ids = Unit.objects.filter(level=UnitLevel.DEPARTMENT).values_list("parent_id", flat=True)
    return list(Unit.objects.filter(pk__in=ids).order_by("pk"))


def build(ctx: DemoContext, steps) -> dict[int, CountyItems]:
    """Write every county's items; by county id, what the case demo relies on."""
    items: list[DiscretionItem] = []
    lists: list[ListItem] = []
    for county in counties():
        for v in VIOLATIONS:
            for n, (tier, circumstances, low, high) in enumerate(v.tiers, start=1):
                items.append(
                    DiscretionItem(
                        unit=county, status=ItemStatus.IN_FORCE, number=f"{v.code[-6:]}-{n}",
                        code=v.code, violation=v.violation, violated_basis=v.violated, penalty_basis=v.basis,
                        tier=tier, circumstances=circumstances,
                        fine_min=None if low is None else Decimal(low),
                        fine_max=None if high is None else Decimal(high),
                        other_penalties=v.other, adopted_on=ADOPTED,
                    )
                )  # fmt: skip
        for kind, number, matter, conditions, basis in LISTS:
            lists.append(
                ListItem(unit=county, status=ItemStatus.IN_FORCE, number=number, kind=kind, matter=matter,
                         conditions=conditions, basis=basis, adopted_on=ADOPTED)
            )  # fmt: skip
    items = _save(DiscretionItem, items, steps)
    lists = _save(ListItem, lists, steps)
    ctx.rows[DiscretionItem._meta.verbose_name] += len(items)
    ctx.rows[ListItem._meta.verbose_name] += len(lists)
    adopted: dict[int, CountyItems] = {}
    field_of = {v.code: v.field for v in VIOLATIONS}
    for item in items:
        county = adopted.setdefault(item.unit_id, CountyItems({}, {}))
        county.by_field.setdefault(field_of[item.code], []).append(item)
    for listed in lists:
        adopted.setdefault(listed.unit_id, CountyItems({}, {})).lists.setdefault(listed.kind, []).append(
            listed
        )
    return adopted


def _save(model, rows: list, steps) -> list:
    spec = register_for(model)
    for row in rows:
        refresh_deadline(spec, row)
    if steps.history:
        created = bulk_create_with_history(rows, model, batch_size=2000, default_change_reason="演示数据")
    else:
        created = model.objects.bulk_create(rows, batch_size=2000)
    for row in created:
        steps.add(row, [("登记", ItemStatus.IN_FORCE, ADOPTED)])
    return created
