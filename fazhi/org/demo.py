"""Demo units, people and users: a county modelled on the seed reports (a 司法局, townships with their
司法所 and villages, about twenty departments), deterministic for a seed."""

from __future__ import annotations

from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from fazhi.core.demo import DemoContext

from .fields import digest
from .masking import id_number_check_code
from .models import Person, Role, Unit, UnitLevel, User, UserRole
from .roles import seed_default_roles

DEMO_PASSWORD = "fazhi@2024"

COUNTY_NAMES = ["青山县", "云溪县", "白河县", "松岭县", "石门县", "临江县", "桃源县", "凤鸣县"]
TOWNSHIPS = [
    ("城关镇", 12, "街道"),
    ("长冈乡", 8, "乡"),
    ("库区乡", 9, "乡"),
    ("北关街道", 10, "街道"),
    ("新华镇", 11, "镇"),
    ("河口镇", 7, "镇"),
    ("柳林乡", 6, "乡"),
    ("太平镇", 9, "镇"),
    ("石桥镇", 8, "镇"),
    ("龙泉乡", 6, "乡"),
]
# (name, short name, enforcement staff, legal reviewers)
DEPARTMENTS = [
    ("县司法局", "司法局", 6, 3),
    ("县公安局", "公安局", 40, 3),
    ("县市场监督管理局", "市场监管局", 30, 2),
    ("县自然资源局", "自然资源局", 14, 1),
    ("县生态环境分局", "生态环境分局", 12, 1),
    ("县交通运输局", "交通运输局", 16, 1),
    ("县农业农村局", "农业农村局", 12, 1),
    ("县文化旅游广电局", "文旅广电局", 8, 1),
    ("县卫生健康委员会", "卫健委", 10, 1),
    ("县应急管理局", "应急管理局", 10, 1),
    ("县住房和城乡建设局", "住建局", 12, 1),
    ("县城市管理局", "城管局", 24, 1),
    ("县人力资源和社会保障局", "人社局", 6, 1),
    ("县教育局", "教育局", 5, 1),
    ("县民政局", "民政局", 4, 1),
    ("县水利局", "水利局", 8, 1),
    ("县林业局", "林业局", 10, 1),
    ("县财政局", "财政局", 4, 1),
    ("县发展和改革委员会", "发改委", 4, 1),
    ("县行政审批服务局", "行政审批局", 6, 1),
    ("县医疗保障局", "医保局", 5, 1),
]
VILLAGE_STEMS = "东西南北上下前后大小新老高"
VILLAGE_TAILS = "庄河沟坪岭湾桥塘山湖店营寨园口"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉婷红建国文斌宇浩凯健俊"
    "帆帅旭宁龙林欣怡佳晨阳雪琳梅云峰海波鑫志鸿"
)


class _People:
    """Generates people with valid 身份证号 and phone numbers, unique across the demo."""

    def __init__(self, ctx: DemoContext, region: str):
        self.ctx, self.region, self.seq = ctx, region, 0
        self.used: set[str] = set()

    def make(self, unit: Unit, position: str) -> Person:
        rng = self.ctx.rng
        self.seq += 1
        gender = rng.choice("MF")
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        serial = f"{self.seq % 1000:03d}"
        if int(serial[-1]) % 2 != (1 if gender == "M" else 0):  # GB 11643: odd for men, even for women
            serial = serial[:2] + str((int(serial[-1]) + 1) % 10)
        first17 = ""
        while not first17 or first17 in self.used:  # the same birthday and serial twice in a county
            birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 35))
            first17 = f"{self.region}{birth:%Y%m%d}{serial}"
        self.used.add(first17)
        id_number = first17 + id_number_check_code(first17)
        return Person(
            unit=unit,
            name=name,
            gender=gender,
            id_number=id_number,
            id_number_digest=digest(id_number),  # bulk-created: Person.save() does not run
            phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            position=position,
        )


def ensure_default_roles() -> dict[str, Role]:
    seed_default_roles(Role)
    return {r.code: r for r in Role.objects.all()}


def _unit(ctx: DemoContext, **fields) -> Unit:
    unit = Unit(**fields)
    unit.save()
    ctx.rows["units"] += 1
    return unit


def _build_county(ctx: DemoContext, parent: Unit | None, index: int, staff: list[tuple[Person, list[str]]]):
    name = COUNTY_NAMES[index % len(COUNTY_NAMES)] + (
        f"{index // len(COUNTY_NAMES) + 1}" if index >= len(COUNTY_NAMES) else ""
    )
    # 6-digit region codes: 4101xx … 4199xx, then 42xxxx for load-test scales beyond 99 counties
    region = f"41{index + 1:02d}" if index < 99 else f"42{(index - 99) % 100:02d}"
    code = f"{region}00" if index < 99 else f"42{index - 99:04d}"
    county = _unit(
        ctx, parent=parent, code=code, name=name, short_name=name, level=UnitLevel.COUNTY, sort_order=index
    )
    people = _People(ctx, f"{region}{23 + index % 70:02d}")
    for role_position in (("县委书记", ["principal"]), ("县长", ["principal"])):
        staff.append((people.make(county, role_position[0]), role_position[1]))
    for order, (dept_name, short, officers, reviewers) in enumerate(DEPARTMENTS):
        dept = _unit(
            ctx,
            parent=county,
            code=f"{code}D{order + 1:02d}",
            name=dept_name,
            short_name=short,
            level=UnitLevel.DEPARTMENT,
            sort_order=100 + order,
        )
        staff.append((people.make(dept, "局长" if "委" not in short else "主任"), ["principal"]))
        for _ in range(reviewers):
            staff.append((people.make(dept, "法制审核员"), ["legal_reviewer"]))
        for _ in range(officers):
            staff.append((people.make(dept, "执法人员"), ["enforcement_officer"]))
        if short == "司法局":
            for _ in range(3):
                staff.append((people.make(dept, "公职律师"), ["legal_advisor"]))
    for order, (town_name, villages, kind) in enumerate(TOWNSHIPS):
        town = _unit(
            ctx,
            parent=county,
            code=f"{code}T{order + 1:02d}",
            name=f"{name}{town_name}",
            short_name=town_name,
            level=UnitLevel.TOWNSHIP,
            sort_order=10 + order,
        )
        staff.append((people.make(town, "党委书记" if kind != "街道" else "党工委书记"), ["principal"]))
        staff.append(
            (
                people.make(town, "乡长" if kind == "乡" else ("镇长" if kind == "镇" else "办事处主任")),
                ["principal"],
            )
        )
        office = _unit(
            ctx,
            parent=town,
            code=f"{code}T{order + 1:02d}S",
            name=f"{town_name}司法所",
            short_name=f"{town_name}司法所",
            level=UnitLevel.OFFICE,
            sort_order=0,
        )
        staff.append((people.make(office, "司法所所长"), ["judicial_assistant", "legal_reviewer"]))
        staff.append((people.make(office, "司法协理员"), ["judicial_assistant"]))
        for _ in range(2):
            staff.append((people.make(office, "专职人民调解员"), ["mediator"]))
        for _ in range(ctx.rng.randint(6, 17)):
            staff.append((people.make(town, "综合行政执法队员"), ["enforcement_officer"]))
        tails = ctx.rng.sample(VILLAGE_TAILS, len(VILLAGE_TAILS))
        for v in range(villages):
            village_name = (
                VILLAGE_STEMS[v % len(VILLAGE_STEMS)]
                + tails[v % len(tails)]
                + ("社区" if kind == "街道" and v < 4 else "村")
            )
            village = _unit(
                ctx,
                parent=town,
                code=f"{code}T{order + 1:02d}V{v + 1:02d}",
                name=f"{town_name}{village_name}",
                short_name=village_name,
                level=UnitLevel.VILLAGE,
                sort_order=10 + v,
            )
            staff.append((people.make(village, "村（居）委会主任"), ["mediator"]))
            staff.append((people.make(village, "村（居）法律顾问"), ["legal_advisor"]))
            for _ in range(ctx.rng.randint(2, 4)):
                staff.append((people.make(village, "法律明白人"), ["law_literate"]))
            if ctx.rng.random() < 0.6:
                staff.append((people.make(village, "普法志愿者"), ["publicity_volunteer"]))
    return county


def _user(
    ctx: DemoContext, username: str, full_name: str, unit: Unit | None, role: str, note: str, **extra
) -> None:
    user = User(
        username=username, last_name=full_name[0], first_name=full_name[1:], unit=unit, role=role, **extra
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    ctx.rows["users"] += 1
    ctx.logins.append((username, DEMO_PASSWORD, note))


def build(ctx: DemoContext) -> None:
    roles = ensure_default_roles()
    staff: list[tuple[Person, list[str]]] = []
    root = None
    if ctx.scale > 1:
        root = _unit(
            ctx, parent=None, code="410000", name="示范市", short_name="示范市", level=UnitLevel.COUNTY
        )
    counties = [_build_county(ctx, root, i, staff) for i in range(ctx.scale)]
    created = bulk_create_with_history(
        [p for p, _ in staff], Person, batch_size=2000, default_change_reason="演示数据"
    )
    Through = Person.roles.through
    Through.objects.bulk_create(
        [
            Through(person_id=p.pk, role_id=roles[code].pk)
            for p, (_, codes) in zip(created, staff, strict=True)
            for code in codes
        ],
        batch_size=5000,
    )
    ctx.rows["people"] += len(created)
    county = counties[0]
    units = {u.short_name: u for u in Unit.objects.filter(parent=county)}
    _user(
        ctx,
        "admin",
        "系统管理员",
        None,
        UserRole.SYSTEM_ADMIN,
        "系统管理员，可见全部单位",
        is_superuser=True,
        is_staff=True,
        may_view_personal_data=True,
    )
    _user(
        ctx,
        "yfzx",
        "周依法",
        county,
        UserRole.UNIT_ADMIN,
        f"{county.name}依法治县办（设在司法局），可见全县",
        may_view_personal_data=True,
    )
    _user(ctx, "sifaju", "陈司法", units["司法局"], UserRole.OPERATOR, "县司法局业务人员")
    _user(
        ctx,
        "changgang",
        "黄长冈",
        units["长冈乡"],
        UserRole.UNIT_ADMIN,
        "长冈乡管理员，可见本乡及司法所、各村",
    )
    _user(ctx, "scjg", "刘市监", units["市场监管局"], UserRole.OPERATOR, "县市场监督管理局执法人员")
    _user(ctx, "lingdao", "王领导", county, UserRole.VIEWER, "县领导，只读查看全县")
