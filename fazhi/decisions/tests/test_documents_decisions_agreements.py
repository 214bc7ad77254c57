"""规范性文件, 重大行政决策 and 行政协议: each step's legal preconditions and the deadlines they start."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from fazhi.decisions.filing_catalogue import CatalogueRequest, catalogue_documents, catalogue_xlsx
from fazhi.decisions.models import (
    AdministrativeAgreement,
    AgreementKind,
    DecisionCategory,
    DecisionResult,
    MajorDecision,
    NormativeDocument,
    Opinion,
    ReviewKind,
)
from fazhi.decisions.registers import AGREEMENTS, MAJOR_DECISIONS, NORMATIVE_DOCUMENTS
from fazhi.registers import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def go(office_user, scope):
    def step(spec, item, to, on=date(2024, 10, 15), **values):
        return services.item_transition(
            spec, item, to, actor=office_user, scope_ids=scope, on=on, values=values
        )

    return step


@pytest.fixture
def edit(office_user, scope):
    """Change fields no step owns, as the edit page does."""

    def save(spec, item, **values):
        for name, value in values.items():
            setattr(item, name, value)
        return services.item_update(spec, item, actor=office_user, scope_ids=scope, read_version=item.version)

    return save


@pytest.fixture
def new_document(county, office_user, scope):
    def make(title="长冈乡农村建房管理办法", **fields):
        doc = NormativeDocument(
            unit=county["changgang_office"],
            title=title,
            drafter="乡村建办",
            drafted_on=date(2024, 9, 1),
            **fields,
        )
        return services.item_create(NORMATIVE_DOCUMENTS, doc, actor=office_user, scope_ids=scope)

    return make


def test_normative_document_from_review_to_filing_and_expiry(new_document, issued_review, go):
    document = new_document()
    with pytest.raises(ValidationError, match="需要填写：合法性审核"):
        go(NORMATIVE_DOCUMENTS, document, "reviewing")
    go(NORMATIVE_DOCUMENTS, document, "reviewing", review=issued_review(kind=ReviewKind.NORMATIVE))
    with pytest.raises(ValidationError, match="晚于提交集体审议日期"):
        go(NORMATIVE_DOCUMENTS, document, "approved", date(2024, 9, 10), meeting="乡政府常务会议")
    go(NORMATIVE_DOCUMENTS, document, "approved", date(2024, 10, 18), meeting="乡政府常务会议")
    with pytest.raises(ValidationError, match="文号、公布载体"):
        go(NORMATIVE_DOCUMENTS, document, "published", date(2024, 10, 25))
    go(
        NORMATIVE_DOCUMENTS,
        document,
        "published",
        date(2024, 10, 25),
        doc_number="长政规〔2024〕1号",
        publish_channel="乡政府网站",
    )
    assert document.valid_until == date(2029, 10, 25)  # normative.validity_years
    assert document.filing_due_on == date(2024, 11, 11)  # kept for 报备及时率
    # 备案 within 15 days of 公布: 2024-11-09 is a Saturday, so the period ends on Monday 11-11
    assert (document.due_label, document.due_date) == ("报送备案", date(2024, 11, 11))
    go(NORMATIVE_DOCUMENTS, document, "filed", date(2024, 11, 11), filed_to="青山县人民政府")
    # once filed, the next alert is the evaluation 6 months before the validity ends
    assert document.due_date == date(2029, 4, 25) and "有效期至2029年10月25日" in document.due_label
    go(NORMATIVE_DOCUMENTS, document, "repealed", date(2026, 3, 1))
    assert (document.cleanup_result, document.cleanup_on, document.due_date) == (
        "repeal",
        date(2026, 3, 1),
        None,
    )


def test_provisional_documents_are_valid_two_years(new_document, issued_review, go):
    document = new_document(title="长冈乡集镇停车管理暂行办法", provisional=True)
    go(NORMATIVE_DOCUMENTS, document, "reviewing", review=issued_review(kind=ReviewKind.NORMATIVE))
    go(NORMATIVE_DOCUMENTS, document, "approved", date(2024, 10, 18), meeting="乡政府常务会议")
    go(NORMATIVE_DOCUMENTS, document, "published", date(2024, 10, 25), doc_number="1", publish_channel="网站")
    assert document.valid_until == date(2026, 10, 25)


def test_an_unlawful_review_stops_the_document(new_document, issued_review, go):
    document = new_document()
    review = issued_review(kind=ReviewKind.NORMATIVE, opinion=Opinion.UNLAWFUL)
    go(NORMATIVE_DOCUMENTS, document, "reviewing", review=review)
    with pytest.raises(ValidationError, match="不合法"):
        go(NORMATIVE_DOCUMENTS, document, "approved", date(2024, 10, 18), meeting="乡政府常务会议")


def test_filing_catalogue_for_the_half_year_and_the_year(county, new_document, issued_review, go, scope):
    document = new_document()
    go(NORMATIVE_DOCUMENTS, document, "reviewing", review=issued_review(kind=ReviewKind.NORMATIVE))
    go(NORMATIVE_DOCUMENTS, document, "approved", date(2024, 10, 18), meeting="乡政府常务会议")
    go(
        NORMATIVE_DOCUMENTS,
        document,
        "published",
        date(2024, 10, 25),
        doc_number="长政规〔2024〕1号",
        publish_channel="网站",
    )
    first_half, year = CatalogueRequest(2024, True), CatalogueRequest(2024, False)
    assert first_half.due(county["changgang"]) == date(2024, 7, 31)  # 每年8月1日之前
    assert year.due(county["changgang"]) == date(2025, 1, 31)  # 每年2月1日之前, for the year before
    assert list(catalogue_documents(scope, first_half)) == []
    assert list(catalogue_documents(scope, year)) == [document]
    sheet = load_workbook(io.BytesIO(catalogue_xlsx(county["changgang"], [document], year))).active
    assert sheet["A1"].value == "长冈乡2024年度行政规范性文件发文目录"
    assert [c.value for c in sheet[3]][:4] == [
        1,
        "长冈乡农村建房管理办法",
        "长政规〔2024〕1号",
        "长冈乡司法所",
    ]


def test_major_decision_steps(county, office_user, scope, issued_review, go, edit):
    decision = MajorDecision(
        unit=county["changgang_office"],
        year=2024,
        title="长冈乡集镇供水价格调整",
        category=DecisionCategory.POLICY,
        undertaker="乡经发办",
        listed_on=date(2024, 3, 1),
        expert_required=True,
    )
    services.item_create(MAJOR_DECISIONS, decision, actor=office_user, scope_ids=scope)
    go(MAJOR_DECISIONS, decision, "consulting", date(2024, 8, 1), comment_to=date(2024, 8, 20))
    review = issued_review(kind=ReviewKind.MAJOR_DECISION)
    with pytest.raises(ValidationError, match="不少于30日（应至少到2024年8月31日）"):
        go(MAJOR_DECISIONS, decision, "reviewing", review=review)
    edit(MAJOR_DECISIONS, decision, comment_shortened_reason="防汛供水应急，征求意见公告已说明")
    go(MAJOR_DECISIONS, decision, "reviewing", review=review)
    with pytest.raises(ValidationError, match="需专家论证"):
        go(
            MAJOR_DECISIONS,
            decision,
            "decided",
            date(2024, 10, 20),
            meeting="乡党委会",
            result=DecisionResult.ADOPTED,
        )
    edit(MAJOR_DECISIONS, decision, expert_on=date(2024, 9, 1))
    go(
        MAJOR_DECISIONS,
        decision,
        "decided",
        date(2024, 10, 20),
        meeting="乡党委会",
        result=DecisionResult.ADOPTED,
    )
    assert decision.decided_on == date(2024, 10, 20) and decision.status == "decided"


def test_agreement_is_signed_only_after_a_passed_review(county, office_user, scope, issued_review, go, edit):
    agreement = AdministrativeAgreement(
        unit=county["changgang_office"],
        number="XY-2024-001",
        title="光伏项目招商引资协议",
        kind=AgreementKind.INVESTMENT,
        counterparty="青山新能源有限公司",
    )
    services.item_create(AGREEMENTS, agreement, actor=office_user, scope_ids=scope)
    go(AGREEMENTS, agreement, "reviewing", review=issued_review(opinion=Opinion.UNLAWFUL))
    with pytest.raises(ValidationError, match="不得签订协议"):
        go(AGREEMENTS, agreement, "performing", date(2024, 10, 20))
    go(AGREEMENTS, agreement, "reviewing", review=issued_review(number="长冈审〔2024〕10号"))  # 重新送审
    edit(AGREEMENTS, agreement, term_end=date(2025, 10, 19))
    go(AGREEMENTS, agreement, "performing", date(2024, 10, 20))
    assert (agreement.due_label, agreement.due_date) == ("履行期限届满", date(2025, 10, 19))
