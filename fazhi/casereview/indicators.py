"""The indicators of shared/indicators.md that 案卷评查 counts (declared for the engine)."""

from fazhi.indicators.formulas import Count, Definition, define

from .models import CaseFileReview, Rectification

define(
    Definition("case_files_reviewed", Count(CaseFileReview, "reviewed_on"), basis="当年评查的行政执法案卷"),
    # one 整改通知 per unit and 评查 round: the units told to rectify (督促N家单位整改)
    Definition(
        "case_review_units_rectifying",
        Count(Rectification, "issued_on"),
        basis="当年下发整改通知的被评查单位（每家单位每轮评查一份通知）",
    ),
)
