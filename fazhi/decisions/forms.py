from fazhi.registers.forms import RegisterItemForm

from .models import (
    AdministrativeAgreement,
    DelegatedPower,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    PowerItem,
)

COMMON = ["unit", "responsible"]


class LegalityReviewForm(RegisterItemForm):
    class Meta:
        model = LegalityReview
        fields = [
            *COMMON, "number", "title", "kind", "submitter", "submitted_on", "accepted_on", "reviewer",
            "opinion", "opinion_on", "opinion_count", "note",
        ]  # fmt: skip


class MajorDecisionForm(RegisterItemForm):
    class Meta:
        model = MajorDecision
        fields = [
            *COMMON, "year", "title", "category", "undertaker", "listed_on", "comment_from", "comment_to",
            "comment_shortened_reason", "hearing_on", "expert_required", "expert_on", "risk_required",
            "risk_on", "review", "meeting", "decided_on", "result", "published_on", "evaluated_on",
            "archived_on", "note",
        ]  # fmt: skip


class NormativeDocumentForm(RegisterItemForm):
    class Meta:
        model = NormativeDocument
        fields = [
            *COMMON, "title", "doc_number", "drafter", "drafted_on", "review", "meeting", "deliberated_on",
            "published_on", "publish_channel", "filed_to", "filed_on", "provisional", "valid_until", "note",
        ]  # fmt: skip


class AgreementForm(RegisterItemForm):
    class Meta:
        model = AdministrativeAgreement
        fields = [
            *COMMON, "number", "title", "kind", "counterparty", "amount", "review", "signed_on", "term_end",
            "closed_on", "note",
        ]  # fmt: skip


class PowerItemForm(RegisterItemForm):
    class Meta:
        model = PowerItem
        fields = [*COMMON, "code", "name", "kind", "basis", "listed_on", "note"]


class DelegatedPowerForm(RegisterItemForm):
    class Meta:
        model = DelegatedPower
        fields = [
            *COMMON, "name", "level", "kind", "document", "delegated_on", "takeover_by", "requirements",
            "taken_on", "note",
        ]  # fmt: skip
