"""Title, unit and parts of reports as they are reposted: page chrome before the title, no title at all,
a department naming itself by its level only, headings with nothing under them."""

from fazhi.reports.analyzer.analyze import analyze_text

BODY = "\n一、主要举措和成效\n全年办理行政复议案件12件。\n二、存在的不足和原因\n普法形式单一。\n"


def test_the_title_after_breadcrumbs_and_a_stale_date():
    text = (
        "今天是：2019年10月31日 星期三\n工作报告\n您所在的位置：政务公开 > 工作报告\n\n"
        "2020年某某区法治政府建设情况报告\n来源：司法局 更新时间：2021/03/29\n\n"
        "2020年，某某区坚持依法行政。" + BODY
    )
    result = analyze_text(text, "t.html")
    assert (result["title"], result["year"], result["unit"]) == (
        "2020年某某区法治政府建设情况报告",
        2020,
        "某某区",
    )
    assert not [c for c in result["checks"] if c["rule"] == "year" and not c["ok"]]


def test_a_title_on_two_lines():
    result = analyze_text("某某县人民政府\n关于2024年度法治政府建设情况的报告\n" + BODY, "t.txt")
    assert result["title"] == "某某县人民政府关于2024年度法治政府建设情况的报告"
    assert (result["unit"], result["level"]) == ("某某县", "县区")


def test_the_unit_of_a_report_without_title_is_the_subject_of_its_opening():
    text = (
        "某市人民政府、中共某某县委：\n"
        "2024年以来，某某县坚持以习近平法治思想为指导，全县上下推进法治政府建设。现将工作情况报告如下："
        + BODY
    )
    result = analyze_text(text, "t.txt")
    assert (result["unit"], result["level"], result["year"]) == ("某某县", "县区", 2024)


def test_a_department_naming_itself_by_its_level():
    text = "2023年以来，县司法局在县委、县政府的领导下，推进“某某县调解工作法”落地。某某县司法局" + BODY
    assert analyze_text(text, "t.txt")["unit"] == "某某县司法局"


def test_a_city_is_a_prefecture_level():
    result = analyze_text("某某市2024年法治政府建设情况报告\n" + BODY, "t.txt")
    assert (result["unit"], result["level"]) == ("某某市", "地市")


def test_headings_with_nothing_under_them_are_not_parts():
    text = (
        "某县司法局关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n（一）加强组织领导\n"
        "二、存在的不足和原因\n三、党政主要负责人履行推进法治建设第一责任人职责情况\n四、2025年工作安排\n"
    )
    text = text.replace("\n", "\n\u200b")  # offsets of an empty part map back to the text as read
    result = analyze_text(text, "t.txt")
    assert not any(p["present"] for p in result["parts"])
    for p in result["parts"]:
        if p["heading"]:
            assert text[p["start"] :].startswith(p["heading"])
    failed = [c["message"] for c in result["checks"] if not c["ok"]]
    assert len(failed) == 4 and all("只有标题" in m for m in failed)


def test_a_title_wrapped_before_its_last_words():
    result = analyze_text("主动公开\n某某县人民政府关于2024年度法治政府建设\n情况的报告\n" + BODY, "t.pdf")
    assert result["title"] == "某某县人民政府关于2024年度法治政府建设情况的报告"
    assert (result["unit"], result["year"]) == ("某某县", 2024)


def test_a_heading_run_into_its_paragraph_ends_at_its_first_comma():
    text = (
        "某县司法局关于2024年度法治政府建设情况的报告\n"
        "一、加强组织领导,完善工作机制。全年召开专题会议3次。\n"
        "二、党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况\n主要负责人带头学法。\n"
    )
    headings = [s["heading"] for s in analyze_text(text, "t.txt")["sections"] if s["level"] == 1]
    assert headings == [
        "一、加强组织领导",
        "二、党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况",
    ]
