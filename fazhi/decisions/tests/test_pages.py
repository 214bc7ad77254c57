"""The register pages as a 司法所 user uses them: list, filters, create, steps, attachments, Excel."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.decisions.models import LegalityReview
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.registers.deadlines import today
from fazhi.registers.models import Attachment

pytestmark = pytest.mark.django_db
LIST = reverse("registers:list", args=["legality-reviews"])


@pytest.fixture
def logged_in(client, office_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(office_user)
    return client


def test_create_step_and_see_the_deadline(logged_in, county, reviewer):
    page = logged_in.get(reverse("registers:create", args=["legality-reviews"])).content.decode()
    assert "新增合法性审查" in page and "长冈乡司法所" in page and "河口镇" not in page
    form = {
        "unit": county["changgang_office"].pk,
        "number": "长冈审〔2024〕1号",
        "title": "关于殡葬改革的实施意见",
        "kind": "normative",
        "submitter": "乡民政办",
        "submitted_on": "2024-09-26",
        "opinion_count": "1",
    }
    response = logged_in.post(reverse("registers:create", args=["legality-reviews"]), form)
    review = LegalityReview.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "registers:detail", args=["legality-reviews", review.pk]
    )
    step_url = reverse("registers:transition", args=["legality-reviews", review.pk, "accepted"])
    assert logged_in.post(step_url, {"on": "2024-09-27"}).status_code == 302
    page = logged_in.get(response["Location"]).content.decode()
    assert "出具审查意见期满：2024年10月23日" in page and "逾期" in page  # long past
    assert "受理</strong> · 2024年9月27日" in page and "一般最早出具日" in page
    issue_url = reverse("registers:transition", args=["legality-reviews", review.pk, "issued"])
    page = logged_in.post(issue_url, {"on": "2024-10-15"}).content.decode()
    assert "这个字段是必填项" in page  # 审查结论 and 审查人员 are required for this step
    logged_in.post(issue_url, {"on": "2024-10-15", "opinion": "lawful", "reviewer": reviewer.pk})
    review.refresh_from_db()
    assert (review.status, review.opinion_on) == ("issued", date(2024, 10, 15))


def test_list_filters_by_due_state_and_search(logged_in, new_review, office_user, scope):
    from fazhi.decisions.registers import LEGALITY_REVIEWS
    from fazhi.registers.services import item_transition

    now = today()
    late = new_review(number="长冈审〔A〕1号", submitted_on=now - timedelta(days=60))
    item_transition(
        LEGALITY_REVIEWS, late, "accepted", actor=office_user, scope_ids=scope, on=now - timedelta(days=60)
    )
    fresh = new_review(number="长冈审〔A〕2号", submitted_on=now)
    item_transition(LEGALITY_REVIEWS, fresh, "accepted", actor=office_user, scope_ids=scope, on=now)
    new_review(number="长冈审〔A〕3号", submitted_on=now)
    overdue = logged_in.get(LIST, {"due": "逾期"}).content.decode()
    assert "长冈审〔A〕1号" in overdue and "长冈审〔A〕2号" not in overdue and "共 1 条" in overdue
    normal = logged_in.get(LIST, {"due": "正常"}).content.decode()
    assert "长冈审〔A〕2号" in normal and "长冈审〔A〕1号" not in normal
    assert "共 1 条" in logged_in.get(LIST, {"q": "A〕3"}).content.decode()
    assert "共 2 条" in logged_in.get(LIST, {"status": "accepted"}).content.decode()
    export = load_workbook(
        io.BytesIO(
            logged_in.get(reverse("registers:export", args=["legality-reviews"]), {"due": "逾期"}).content
        )
    )
    assert [r[2] for r in list(export.active.values)[2:]] == ["长冈审〔A〕1号"]  # after the title and headers


def test_other_units_and_read_only_users(client, county, new_review):
    review = new_review()
    neighbour = UserFactory(unit=county["hekou"], role=UserRole.OPERATOR)
    client.force_login(neighbour)
    assert "长冈审〔2024〕1号" not in client.get(LIST).content.decode()
    assert client.get(reverse("registers:detail", args=["legality-reviews", review.pk])).status_code == 403
    viewer = UserFactory(unit=county["county"], role=UserRole.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("registers:detail", args=["legality-reviews", review.pk])).content.decode()
    assert "长冈审〔2024〕1号" in page and "受理</a>" not in page  # the county sees it, cannot act
    assert client.get(reverse("registers:create", args=["legality-reviews"])).status_code == 403
    assert client.get(reverse("registers:list", args=["no-such-register"])).status_code == 404


def test_attachments_are_checked_kept_and_scoped(logged_in, client, county, new_review):
    review = new_review()
    url = reverse("registers:attachment_upload", args=["legality-reviews", review.pk])
    logged_in.post(url, {"file": SimpleUploadedFile("送审稿.pdf", b"%PDF-1.4 draft")})
    logged_in.post(url, {"file": SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00")})
    page = logged_in.get(reverse("registers:detail", args=["legality-reviews", review.pk])).content.decode()
    assert "送审稿.pdf" in page and "病毒.pdf：文件内容与扩展名“.pdf”不符" in page
    attachment = Attachment.objects.get()
    assert attachment.size == 14 and attachment.uploaded_by.username == "changgang"
    download = logged_in.get(reverse("registers:attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 draft"
    client.force_login(UserFactory(unit=county["hekou"], role=UserRole.OPERATOR))
    assert client.get(reverse("registers:attachment", args=[attachment.pk])).status_code == 403


def test_import_page_reports_rows_and_template_downloads(logged_in):
    template = logged_in.get(reverse("registers:template", args=["normative-documents"]))
    headers = [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]]
    assert headers[:5] == ["所属单位", "文件名称", "文号", "起草单位", "起草日期"]
    book = Workbook()
    book.active.append(headers[:5])
    book.active.append(["长冈乡司法所", "长冈乡河道管理办法", "", "乡水利站", "去年"])
    data = io.BytesIO()
    book.save(data)
    page = logged_in.post(
        reverse("registers:import", args=["normative-documents"]),
        {"file": SimpleUploadedFile("文件.xlsx", data.getvalue())},
    ).content.decode()
    assert "未导入：发现1处问题" in page and "第2行「起草日期」：“去年”不是有效日期" in page


def test_every_register_and_the_catalogue_render(logged_in):
    for key in (
        "legality-reviews",
        "major-decisions",
        "normative-documents",
        "agreements",
        "power-items",
        "delegated-powers",
    ):
        page = logged_in.get(reverse("registers:list", args=[key])).content.decode()
        assert "共 0 条" in page and 'class="nav-link active"' in page
    page = logged_in.get(reverse("decisions:catalogue"), {"year": 2024, "period": "h1"}).content.decode()
    assert "长冈乡2024年上半年行政规范性文件发文目录" in page and "报送截止：2024年7月31日" in page


def test_an_edit_form_never_shows_personal_data_in_clear_and_keeps_it(logged_in, new_review):
    """The clerk without 可查看完整个人信息 sees the stored phone masked in the edit form, and saving
    the form without touching it keeps the number (issue 14 §3)."""
    review = new_review(contact_phone="13812345678")
    url = reverse("registers:edit", args=["legality-reviews", review.pk])
    page = logged_in.get(url)
    text = page.content.decode()
    assert "13812345678" not in text and 'placeholder="138****5678"' in text
    form = page.context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data["title"] = "关于殡葬改革的实施意见（修改稿）"
    assert logged_in.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.contact_phone == "13812345678" and review.title.endswith("（修改稿）")


def test_absurd_ids_and_values_in_a_form_are_refused_not_a_500(logged_in, county):
    url = reverse("registers:create", args=["legality-reviews"])
    data = {"unit": "9" * 30, "responsible": "-1", "advisers": ["9" * 30], "number": "x", "title": "t"}
    data |= {"kind": "other", "submitter": "s", "submitted_on": "2024-02-30", "opinion_count": "9" * 30}
    response = logged_in.post(url, data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
