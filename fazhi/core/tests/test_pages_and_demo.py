"""Every main page renders on the demo county (its command and determinism: test_demo_command.py)."""

import pytest
from django.urls import reverse

from fazhi.org.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_flags_every_login(demo_county):
    """Its passwords are printed in the README: each must be changed at the first production login."""
    from fazhi.accounts.models import AccountSecurity

    flagged = set(AccountSecurity.objects.filter(must_change_password=True).values_list("user_id", flat=True))
    assert flagged == set(User.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("username", ["admin", "yfzx", "changgang", "lingdao"])
def test_main_pages_render_for_every_demo_role(demo_county, client, username):
    client.force_login(User.objects.get(username=username))
    for name in ("home", "org:unit_list", "org:person_list", "rules:list", "workdays:calendar"):
        response = client.get(reverse(name))
        assert response.status_code == 200, (username, name)
        assert "法治政府建设管理系统" in response.content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "年度报送节点" in home and "期限计算器" in home


def test_deadline_calculator_partial(demo_county, client):
    client.force_login(User.objects.get(username="yfzx"))
    url = reverse("workdays:deadline")
    page = client.get(url, {"start": "2024-02-07", "rule": "reconsideration.acceptance"}).content.decode()
    assert "2024年2月20日" in page and "行政复议法" in page
    page = client.get(url, {"start": "2024-08-02", "n": "60", "kind": "日"}).content.decode()
    assert "2024年10月8日" in page and "依法顺延" in page
    page = client.get(url, {"start": "2026-12-01", "n": "60", "kind": "日"}).content.decode()
    assert "2027年的节假日安排尚未载入" in page
    page = client.get(url, {"start": "2024-08-02"}).content.decode()
    assert "请选择一项法定期限" in page


def test_admin_loads_a_schedule_through_the_form(demo_county, client):
    client.force_login(User.objects.get(username="admin"))
    data = {
        "year": 2027,
        "source": "测试通知",
        "holidays": "2027-01-01~2027-01-03 元旦\n2027-02-05~2027-02-13 春节",
        "makeup_workdays": "2027-02-20",
    }
    response = client.post(reverse("workdays:load"), data, follow=True)
    assert "已载入2027年节假日安排：放假12天，调休上班1天" in response.content.decode()
    bad = client.post(reverse("workdays:load"), {**data, "makeup_workdays": "2027-03-03"}).content.decode()
    assert "是周一至周五" in bad
    client.force_login(User.objects.get(username="yfzx"))
    assert client.get(reverse("workdays:load")).status_code == 403
