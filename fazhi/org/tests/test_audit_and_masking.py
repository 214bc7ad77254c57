"""Every change is audited (who, when, before/after) and shown on the record; personal data is masked."""

import pytest
from django.urls import reverse

from fazhi.org.masking import id_number_check_code, is_valid_id_number, mask_id_number, mask_phone
from fazhi.org.models import Person, Role, UserRole
from fazhi.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_edit_through_the_page_is_audited_with_before_and_after(client, county):
    admin = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN, last_name="周", first_name="依法")
    client.force_login(admin)
    mediator = Role.objects.get(code="mediator")
    response = client.post(
        reverse("org:person_create"),
        {
            "unit": county["hefu"].pk,
            "name": "赵强",
            "phone": "13812345678",
            "position": "调解员",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(name="赵强")
    response = client.post(
        reverse("org:person_edit", args=[person.pk]),
        {
            "unit": county["hefu"].pk,
            "name": "赵强",
            "phone": "13812345678",
            "position": "村调委会主任",
            "roles": [mediator.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    history = list(person.history.order_by("history_date"))
    assert [h.history_type for h in history][:2] == ["+", "~"]
    assert all(h.history_user == admin for h in history)
    page = client.get(reverse("org:person_detail", args=[person.pk])).content.decode()
    assert "修改记录（审计）" in page
    assert "周依法" in page
    assert "调解员 → 村调委会主任" in page
    assert "人民调解员" in page  # the role change is shown by name


def test_unit_edit_is_audited(client, county):
    admin = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN)
    client.force_login(admin)
    unit = county["hefu"]
    data = {
        "parent": county["changgang"].pk,
        "code": unit.code,
        "name": "合富村（新）",
        "level": "village",
        "sort_order": 0,
        "is_active": "on",
    }
    assert client.post(reverse("org:unit_edit", args=[unit.pk]), data).status_code == 302
    page = client.get(reverse("org:unit_detail", args=[unit.pk])).content.decode()
    assert "合富村 → 合富村（新）" in page
    audit = client.get(reverse("org:audit_log")).content.decode()
    assert "合富村（新）" in audit


def test_unit_cannot_move_under_itself(client, county):
    client.force_login(UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN))
    unit = county["changgang"]
    data = {
        "parent": county["hefu"].pk,
        "code": unit.code,
        "name": unit.name,
        "level": "township",
        "sort_order": 0,
    }
    page = client.post(reverse("org:unit_edit", args=[unit.pk]), data).content.decode()
    assert "上级单位不能是本单位或其下级单位" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "410423199001011235", "身份证号格式或校验位不正确"),
        ("phone", "12345", "电话号码格式不正确"),
        ("name", "", "这个字段是必填项"),
    ],
)
def test_person_form_errors_in_chinese(client, county, field, value, message):
    client.force_login(UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN))
    data = {"unit": county["hefu"].pk, "name": "钱多", "is_active": "on", field: value}
    page = client.post(reverse("org:person_create"), data).content.decode()
    assert message in page
    assert not Person.objects.filter(name="钱多").exists()


def test_personal_data_masked_unless_allowed(client, county):
    person = PersonFactory(unit=county["hefu"], id_number="41042319900101007X", phone="13812345678")
    assert is_valid_id_number(person.id_number)
    client.force_login(UserFactory(unit=county["county"]))
    page = client.get(reverse("org:person_list")).content.decode()
    assert "4104**********007X" in page and "138****5678" in page
    assert "41042319900101007X" not in page and "13812345678" not in page
    client.force_login(UserFactory(unit=county["county"], may_view_personal_data=True))
    page = client.get(reverse("org:person_detail", args=[person.pk])).content.decode()
    assert "41042319900101007X" in page and "13812345678" in page


def test_mask_helpers():
    assert mask_id_number("410423199001011234") == "4104**********1234"
    assert mask_phone("0375-1234567") == "037****4567"


def test_only_system_admin_grants_system_admin(client, county):
    client.force_login(UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN))
    data = {
        "username": "newbie",
        "unit": county["hefu"].pk,
        "role": "system_admin",
        "password": "Very-long-pass-9",
        "is_active": "on",
    }
    page = client.post(reverse("org:user_create"), data).content.decode()
    assert "选择一个有效的选项" in page
    data["role"] = "operator"
    assert client.post(reverse("org:user_create"), data).status_code == 302
    from fazhi.org.models import User

    created = User.objects.get(username="newbie")
    assert created.check_password("Very-long-pass-9")
    assert created.history.first().history_user.role == UserRole.UNIT_ADMIN


def test_the_audit_trail_masks_personal_data_unless_allowed(client, county):
    """A changed 身份证号 or phone shows masked, before and after, in the 修改记录 of a user without
    可查看完整个人信息 (the one presenter of personal data, issue 10 §4 / 14 §3)."""
    person = PersonFactory(unit=county["hefu"], id_number="41042319900101007X", phone="13812345678")
    person.id_number = "11010119900307123" + id_number_check_code("11010119900307123")
    person.phone = "13900001111"
    person.save()
    client.force_login(UserFactory(unit=county["county"]))
    page = client.get(reverse("org:person_detail", args=[person.pk])).content.decode()
    assert "41042319900101007X" not in page and "13812345678" not in page and "13900001111" not in page
    assert "4104**********007X" in page and "139****1111" in page
    client.force_login(UserFactory(unit=county["county"], may_view_personal_data=True))
    page = client.get(reverse("org:person_detail", args=[person.pk])).content.decode()
    assert "41042319900101007X" in page and "13900001111" in page
