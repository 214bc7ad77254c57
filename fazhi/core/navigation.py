"""The navigation by work area. A new register adds its pages here (one obvious place)."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    managers_only: bool = False
    args: tuple[str, ...] = ()

    @property
    def href(self) -> str:
        return reverse(self.url_name, args=self.args)


def register_item(label: str, key: str) -> NavItem:
    """The list page of a register (fazhi.registers) by its key."""
    return NavItem(label, "registers:list", args=(key,))


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


SECTIONS: tuple[NavSection, ...] = (
    NavSection(
        "工作台",
        (NavItem("首页", "home"), NavItem("指标填报", "indicators:manual"), NavItem("后台任务", "jobs:list")),
    ),
    NavSection(
        "依据与期限",
        (NavItem("规则目录", "rules:list"), NavItem("工作日历与期限计算", "workdays:calendar")),
    ),
    NavSection(
        "依法决策与规范性文件",
        (
            register_item("合法性审查", "legality-reviews"),
            register_item("重大行政决策", "major-decisions"),
            register_item("行政规范性文件", "normative-documents"),
            register_item("行政协议", "agreements"),
            register_item("权责清单", "power-items"),
            register_item("赋权承接", "delegated-powers"),
        ),
    ),
    NavSection(
        "案卷评查",
        (
            register_item("案卷评查记录", "case-file-reviews"),
            register_item("评查整改", "case-review-rectifications"),
            NavItem("评查标准", "casereview:rubric"),
        ),
    ),
    NavSection(
        "行政执法案件",
        (
            register_item("执法案件", "enforcement-cases"),
            register_item("重大执法决定目录", "enforcement-major-catalogue"),
            register_item("行政裁量权基准", "discretion-items"),
            register_item("四张清单", "discretion-lists"),
            NavItem("执法决定公示（公众页）", "publicity:decisions"),
        ),
    ),
    NavSection(
        "行政执法人员",
        (
            register_item("执法证", "enforcement-certificates"),
            register_item("培训记录", "enforcement-trainings"),
            register_item("执法资格考试", "enforcement-exams"),
            NavItem("培训学时核查", "enforcement:training_hours"),
            NavItem("临期执法证", "enforcement:expiring"),
        ),
    ),
    NavSection("双随机一公开", (NavItem("双随机抽查", "inspections:plan_list"),)),
    NavSection(
        "企业安静期·扫码入检",
        (
            NavItem("入企检查登记", "onsite:visit_list"),
            NavItem("安静期违规入企", "onsite:flagged_list"),
            NavItem("重复检查统计", "onsite:repeats"),
            NavItem("企业二维码", "onsite:enterprise_list"),
            NavItem("企业安静期", "onsite:quiet_list"),
        ),
    ),
    NavSection(
        "年度报告",
        (
            register_item("年度法治政府建设报告", "annual-reports"),
            NavItem("下级报告汇总", "reports:annual_rollup"),
            NavItem("报告分析", "reports:analysis_list"),
        ),
    ),
    NavSection(
        "单位与人员",
        (
            NavItem("单位", "org:unit_list"),
            NavItem("人员", "org:person_list"),
            NavItem("用户", "org:user_list", managers_only=True),
            NavItem("审计日志", "org:audit_log", managers_only=True),
        ),
    ),
)
