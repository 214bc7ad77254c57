"""Every unit sees only its own data and its subordinates', through every page."""

import pytest
from django.urls import reverse

from fazhi.org.models import UserRole
from fazhi.org.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(county):
    return {
        "judge": PersonFactory(unit=county["justice"], name="司法局李明"),
        "office": PersonFactory(unit=county["changgang_office"], name="司法所王芳"),
        "village": PersonFactory(unit=county["hefu"], name="合富村赵强"),
        "other": PersonFactory(unit=county["hekou_village"], name="河口村孙丽"),
    }


def login(client, unit, role=UserRole.OPERATOR, **extra):
    user = UserFactory(unit=unit, role=role, **extra)
    client.force_login(user)
    return user


def test_township_user_sees_its_township_only(client, county, people):
    login(client, county["changgang"])
    page = client.get(reverse("org:person_list")).content.decode()
    assert "司法所王芳" in page and "合富村赵强" in page
    assert "河口村孙丽" not in page and "司法局李明" not in page
    units = client.get(reverse("org:unit_list")).content.decode()
    assert "合富村" in units and "河口镇" not in units and "青山县司法局" not in units


def test_county_user_sees_everything_below(client, county, people):
    login(client, county["county"])
    page = client.get(reverse("org:person_list")).content.decode()
    assert all(p.name in page for p in people.values())


def test_detail_outside_scope_is_forbidden_in_chinese(client, county, people):
    login(client, county["changgang"])
    response = client.get(reverse("org:person_detail", args=[people["other"].pk]))
    assert response.status_code == 403
    assert "不属于您有权查看的单位" in response.content.decode()
    assert client.get(reverse("org:unit_detail", args=[county["hekou"].pk])).status_code == 403
    assert client.get(reverse("org:person_detail", args=[people["village"].pk])).status_code == 200


def test_unit_switcher_narrows_lists_and_refuses_foreign_units(client, county, people):
    login(client, county["county"])
    client.post(reverse("org:switch_unit"), {"unit": county["hekou"].pk, "next": "/org/people/"})
    page = client.get(reverse("org:person_list")).content.decode()
    assert "河口村孙丽" in page and "合富村赵强" not in page

    client.logout()
    login(client, county["changgang"])
    response = client.post(reverse("org:switch_unit"), {"unit": county["hekou"].pk}, follow=True)
    assert "无法切换到该单位" in response.content.decode()
    assert "合富村赵强" in client.get(reverse("org:person_list")).content.decode()


def test_filters_and_search(client, county, people):
    login(client, county["county"])
    page = client.get(reverse("org:person_list"), {"q": "王芳"}).content.decode()
    assert "司法所王芳" in page and "合富村赵强" not in page
    page = client.get(reverse("org:person_list"), {"unit": county["hekou"].pk}).content.decode()
    assert "河口村孙丽" in page and "司法所王芳" not in page


def test_manager_cannot_create_outside_scope(client, county):
    login(client, county["changgang"], role=UserRole.UNIT_ADMIN)
    response = client.post(
        reverse("org:person_create"), {"unit": county["hekou"].pk, "name": "越权人员", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()  # the foreign unit is not even offered
    from fazhi.org.models import Person

    assert not Person.objects.filter(name="越权人员").exists()


def test_operator_and_viewer_cannot_manage(client, county):
    login(client, county["county"], role=UserRole.VIEWER)
    assert client.get(reverse("org:person_create")).status_code == 403
    assert client.get(reverse("org:user_list")).status_code == 403


def test_anonymous_is_sent_to_chinese_login(client, county):
    response = client.get(reverse("org:person_list"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    page = client.get("/login/").content.decode()
    assert "用户登录" in page and "密码" in page


def test_login_with_wrong_password_shows_chinese_error(client, county):
    UserFactory(username="zhang", unit=county["county"])
    page = client.post("/login/", {"username": "zhang", "password": "wrong"}).content.decode()
    assert "请输入一个正确的" in page
    response = client.post("/login/", {"username": "zhang", "password": "pass-word-123"})
    assert response.status_code == 302


def test_the_tree_queries_agree(county, django_assert_num_queries):
    from fazhi.org.selectors import ancestor_chains, branches_below, subtree_ids

    root = county["county"]
    with django_assert_num_queries(1):
        branches = branches_below(root)
    children = [county[k] for k in ("justice", "changgang", "hekou")]
    assert branches == {pk: child.pk for child in children for pk in subtree_ids(child)}
    assert set(branches) == set(subtree_ids(root)) - {root.pk}
    chains = ancestor_chains(list(branches))
    assert all(chains[pk][-2] == branch for pk, branch in branches.items())  # the child just below the root
