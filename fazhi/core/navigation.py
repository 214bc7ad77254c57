"""The navigation by work area. A new register adds its pages here (one obvious place)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    managers_only: bool = False


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


SECTIONS: tuple[NavSection, ...] = (
    NavSection("工作台", (NavItem("首页", "home"),)),
    NavSection(
        "依据与期限",
        (NavItem("规则目录", "rules:list"), NavItem("工作日历与期限计算", "workdays:calendar")),
    ),
    NavSection("年度报告", (NavItem("报告分析", "reports:analysis_list"),)),
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
