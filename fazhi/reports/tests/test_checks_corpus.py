"""Synthetic reports, each with one planted error and its consistent twin: the error is found by the
rule named, and the twin raises no alarm at all (a false alarm costs a reviewer as much as a miss)."""

import pytest

from fazhi.reports.analyzer.analyze import analyze_text

TITLE = "某县司法局关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n"
OTHER_PARTS = (
    "\n二、存在的不足和原因\n普法形式单一。\n三、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    "主要负责人带头学法。\n四、2025年工作安排\n继续加强法治政府建设。\n"
)


def failed(body: str) -> list[dict]:
    result = analyze_text(TITLE + body + OTHER_PARTS, "t.txt")
    return [c for c in result["checks"] if not c["ok"]]


def checked(body: str) -> list[dict]:
    result = analyze_text(TITLE + body + OTHER_PARTS, "t.txt")
    return [c for c in result["checks"] if c["rule"] not in {"required_part", "year"}]


# (consistent twin, the same text with one planted error, the rule that must find it)
CORPUS = [
    pytest.param(
        "全年办结行政复议案件12件，其中维持5件，撤销4件，驳回3件。",
        "全年办结行政复议案件12件，其中维持5件，撤销4件，驳回6件。",
        "breakdown_sum",
        id="其中-breakdown",
    ),
    pytest.param(
        "全年共受理行政复议案件20件。从办理结果看：维持12件、撤销3件、驳回5件。",
        "全年共受理行政复议案件20件。从办理结果看：维持12件、撤销6件、驳回5件。",
        "breakdown_sum",
        id="从…看-breakdown",
    ),
    pytest.param(
        "全年办理复议案件12件，维持、撤销、驳回分别为5件、4件、3件。",
        "全年办理复议案件12件，维持、撤销、驳回分别为5件、4件、6件。",
        "breakdown_sum",
        id="分别为-breakdown",
    ),
    pytest.param(
        "现保留政务服务事项515项，行政许可事项218项，公共服务等其他事项297项。",
        "现保留政务服务事项515项，行政许可事项218项，公共服务等其他事项287项。",
        "breakdown_sum",
        id="parts-closed-by-其他",
    ),
    pytest.param(
        "全年受理信访事项50件，办结48件。",
        "全年受理信访事项50件，办结52件。",
        "closed_received",
        id="closed>received",
    ),
    pytest.param(
        "共收案行政诉讼案件40件。全年审结38件，胜诉30件。",
        "共收案行政诉讼案件40件。全年审结43件，胜诉30件。",
        "closed_received",
        id="closed>received-next-sentence",
    ),
    pytest.param(
        "共调解矛盾纠纷200件，调解成功196件。调解成功率为98%。",
        "共调解矛盾纠纷200件，调解成功196件。调解成功率为99.5%。",
        "rate",
        id="rate-count-in-previous-sentence",
    ),
    pytest.param(
        "2474项政务服务事项全部纳入一体化平台，其中，不见面审批事项2369项，占比95.76%。",
        "2474项政务服务事项全部纳入一体化平台，其中，不见面审批事项2369项，占比95.87%。",
        "rate",
        id="share-of-its-whole",
    ),
    pytest.param(
        "共表彰先进集体和先进个人42个，其中先进集体12个、先进个人30名。",
        "共表彰先进集体和先进个人45个，其中先进集体12个、先进个人36名。",
        "breakdown_sum",
        id="parts-of-different-kinds",
    ),
    pytest.param(
        "表彰先进集体12个、先进个人30名，共计42个。",
        "表彰先进集体12个、先进个人30名，共计40个。",
        "breakdown_sum",
        id="total-after-its-parts",
    ),
    pytest.param(
        "共发放宣传资料3000余份，其中线上1500份、线下1520份。",
        "共发放宣传资料3000份，其中线上1500份、线下1520份。",
        "breakdown_sum",
        id="approximate-total",
    ),
    pytest.param(
        "共受理复议案件80件，审结72件，结案率90%。",
        "共受理复议案件80件，审结72件，结案率95%。",
        "rate",
        id="rate-on-a-synonym",
    ),
    pytest.param(
        "全县共有执法人员3426名，其中持证3378名，持证率98.6%。",
        "全县共有执法人员3426名，其中持证3378名，持证率99.6%。",
        "rate",
        id="rate-of-a-part",
    ),
    pytest.param(
        "依申请公开20件，按时答复19件，按时答复率95%。",
        "依申请公开20件，按时答复19件，按时答复率100%。",
        "rate",
        id="rate-on-time",
    ),
    pytest.param(
        "已判决的54件诉讼案件中有12件败诉，败诉率为22%。",
        "已判决的54件诉讼案件中有12件败诉，败诉率为30%。",
        "rate",
        id="rate-in-one-sentence",
    ),
    pytest.param(
        "全年办理行政复议案件120件，上年同期100件，同比增长20%。",
        "全年办理行政复议案件120件，上年同期100件，同比增长25%。",
        "rate",
        id="rise-against-the-year-before",
    ),
    pytest.param(
        "全年行政诉讼败诉45件，去年60件，同比下降25%。",
        "全年行政诉讼败诉45件，去年60件，同比下降33%。",
        "rate",
        id="fall-against-the-year-before",
    ),
    pytest.param(
        "收到群众来信40件，按期办结40件，按期办结率100%。",
        "收到群众来信40件，按期办结40件，按期办结率105%。",
        "rate",
        id="a-part-above-all",
    ),
    pytest.param(
        "将80个事项整合为20个套餐，事项缩减率75%。",
        "将80个事项整合为20个套餐，事项缩减率90%。",
        "rate",
        id="reduction",
    ),
    pytest.param(
        "全年共办理行政诉讼案件40件，其中有34件诉讼案件已审结。",
        "全年共办理行政诉讼案件40件，其中有54件诉讼案件已审结。",
        "subset",
        id="subset",
    ),
    pytest.param(
        "组织法律明白人开展培训3次。\n二是开展法律明白人培训3次。",
        "组织法律明白人开展培训3次。\n二是开展法律明白人培训4次。",
        "repeated_figure",
        id="stated-twice",
    ),
    pytest.param(
        "单位：件\n类别\t收案\t结案\n复议\t12\t10\n诉讼\t5\t4\n合计\t17\t14\n",
        "单位：件\n类别\t收案\t结案\n复议\t12\t10\n诉讼\t5\t4\n合计\t17\t15\n",
        "table_sum",
        id="table-column",
    ),
    pytest.param(
        "乡镇\t调解（件）\t仲裁（件）\t合计（件）\n甲镇\t12\t3\t15\n乙镇\t10\t4\t14\n",
        "乡镇\t调解（件）\t仲裁（件）\t合计（件）\n甲镇\t12\t3\t15\n乙镇\t10\t4\t15\n",
        "table_sum",
        id="table-row",
    ),
]


@pytest.mark.parametrize(("consistent", "erroneous", "rule"), CORPUS)
def test_the_planted_error_is_found_and_its_twin_raises_no_alarm(consistent, erroneous, rule):
    assert failed(consistent) == [], failed(consistent)
    assert any(c["rule"] == rule for c in checked(consistent)), checked(consistent)  # the relation is seen
    errors = failed(erroneous)
    assert [c["rule"] for c in errors] == [rule], errors


@pytest.mark.parametrize(
    "body",
    [
        # overlapping categories: 涉未成年人 cases are also 刑事 or 民事
        "全年共办理法律援助案件100件，其中刑事案件60件，涉及未成年人案件50件。",
        # the first parts make the total, the last counts across them
        "全年共培训法律明白人100人，其中男性60人，女性40人，党员30人。",
        # 从…看 before a new total is not a breakdown of the sentence before
        "受理信访事项150件。从全年看，共办理案件100件，结案95件。",
        # siblings closed by 其他 with no whole among them
        "办理甲类事项100项，乙类事项50项，其他事项30项。",
        # a share of a total the text does not state
        "受理案件500件。民营企业投诉100件，占比30%。",
        # carried over from the year before, said after the figures
        "新收案件45件，审结52件（含旧存10件）。",
        # carried over from the year before: more closed than received is possible
        "全年受理复议案件30件，加上年结转5件，办结33件。",
        # rows of a table are different things, however alike their words
        "乡镇\t调解纠纷（件）\n甲镇\t12\n乙镇\t15\n丙镇\t9\n",
        # the change of a rate is not the rate
        "全县一审行政诉讼案件已审结16件，败诉0件，一审败诉率同比下降17.65%。",
        # a rise may be more than 100%
        "全年受理案件同比增长120%。",
        # a rise without the year before's count is not guessed
        "全年办理案件120件，同比增长25%。",
        # a rate whose counts are not stated is not guessed
        "省级赋权129项，市级赋权982项，承接完成率100%。",
        # the same words for every township: different figures, not one figure stated twice
        "甲镇开展法治宣传活动12场。\n乙镇开展法治宣传活动9场。\n丙镇开展法治宣传活动15场。",
    ],
)
def test_no_false_alarm(body):
    assert failed(body) == []


def test_a_total_after_its_parts_must_equal_their_sum():
    [check] = failed("表彰先进集体12个、先进个人30名，共计45个。")
    assert "12个 + 30名 = 42，与总数45个不一致" in check["message"]


def test_an_approximate_total_is_stated_honestly():
    [check] = [
        c
        for c in checked("共发放宣传资料3000余份，其中线上1500份、线下1520份。")
        if c["rule"] == "breakdown_sum"
    ]
    assert check["ok"] and "3020" in check["message"] and "在总数3000余份" in check["message"]
    assert "未超过" not in check["message"]


def test_rounding_and_truncation_are_both_accepted():
    # 2369 / 2474 = 95.755…%: 95.76 (rounded) and 95.75 (truncated) agree, 95.87 does not
    for stated, ok in (("95.76", True), ("95.75", True), ("95.8", True), ("95.7", True), ("95.87", False)):
        body = f"2474项政务服务事项全部纳入平台，其中，不见面审批事项2369项，占比{stated}%。"
        [check] = [c for c in checked(body) if c["rule"] == "rate"]
        assert check["ok"] is ok, check["message"]
