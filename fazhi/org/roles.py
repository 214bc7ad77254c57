"""The roles Fazhi ships with; administrators may add more on the system admin pages."""

DEFAULT_ROLES = [
    ("principal", "党政主要负责人", "履行推进法治建设第一责任人职责"),
    ("legal_reviewer", "法制审核人员", "合法性审查、重大执法决定法制审核"),
    ("enforcement_officer", "执法人员", "持有行政执法证件的执法人员"),
    ("mediator", "人民调解员", "专职或兼职人民调解员"),
    ("legal_advisor", "法律顾问", "政府或村（居）法律顾问"),
    ("law_literate", "法律明白人", "乡村“法律明白人”"),
    ("judicial_assistant", "司法所工作人员", "司法所所长、司法协理员"),
    ("publicity_volunteer", "普法志愿者", ""),
]


def seed_default_roles(role_model) -> None:
    """Create or refresh the default roles; takes the model so migrations can pass their historical one."""
    for order, (code, name, description) in enumerate(DEFAULT_ROLES):
        role_model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
