"""The 行政执法 cues of the catalogue: what the seeds and the development set say is mapped to its id,
and the look-alikes they contain are not (newly certified staff, problems rectified, another exam's
pass rate)."""

import pytest

from fazhi.reports.analyzer.analyze import analyze_text


def ids(sentence: str) -> dict:
    text = f"青山县2024年法治政府建设情况报告\n一、主要举措和成效\n{sentence}\n"
    return {(f["indicator"], f["value"]) for f in analyze_text(text, "cues.txt")["facts"]}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("截至12月底已有8人取得执法证。", ("certified_staff", 8)),
        ("执法大队共有队员6名，其中持证执法人员4名。", ("certified_staff", 4)),
        ("2024年共组织1421人参加全省行政执法人员资格申领考试，合格率81.4%。", ("exam_pass_rate", 81.4)),
        ("组织52人参加行政执法资格考试，同比减少12人，合格率69.2%。", ("exam_pass_rate", 69.2)),
        ("督促14家单位对案卷评查发现的问题整改落实。", ("case_review_units_rectifying", 14)),
        ("评查执法案卷272宗，督促14家单位整改。", ("case_review_units_rectifying", 14)),
        ("依法收回、注销不符合执法要求的执法人员证件33本，换(发)证111本。", ("certificates_revoked", 33)),
        ("开展双随机抽查42次，抽查对象630户，抽查结果公示及时率95.2%。", ("random_inspections", 42)),
    ],
)
def test_enforcement_figures_are_mapped(sentence, expected):
    assert expected in ids(sentence)


@pytest.mark.parametrize(
    ("sentence", "not_expected"),
    [
        ("今年新增持证执法人员3名。", ("certified_staff", 3)),  # the year's new ones, not the staff
        ("通过法治督察发现整改法律问题135个。", ("case_review_units_rectifying", 135)),  # problems
        ("机关干部参加法律知识在线考试通过率100%。", ("exam_pass_rate", 100)),  # another exam
    ],
)
def test_look_alikes_are_not_mapped(sentence, not_expected):
    assert not_expected not in ids(sentence)
