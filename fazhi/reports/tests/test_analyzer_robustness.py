"""The analyzer on text it has never seen: no input makes it raise; number forms keep their value."""

from decimal import Decimal
from pathlib import Path

import cn2an
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.reports.analyzer import batch
from fazhi.reports.analyzer.analyze import analyze_text
from fazhi.reports.analyzer.normalize import fold
from fazhi.reports.analyzer.numbers import parse_numeral

TITLE = "某县司法局关于2024年度法治政府建设情况的报告\n"
SEED_SENTENCES = [
    "全年共调解矛盾纠纷120件，调解成功118件，调解成功率98.3%。",
    "共收到行政复议案件12件，其中维持5件，撤销4件，驳回3件。",
    "开展普法活动20场次，发放宣传资料3000余份，受益群众2.8万余人次。",
    "组织领导干部集体学法4次，述法12人，参考率、合格率均达100%。",
    "将80个事项整合为20个套餐，事项缩减率75%。",
    "已判决的54件诉讼案件中有12件败诉，败诉率为22%。",
]


def figures(body: str) -> list[tuple]:
    text = TITLE + body
    result = analyze_text(text, "t.txt")
    for f in result["facts"]:  # offsets stay offsets into the text as read
        assert text[f["start"] : f["end"]] in f["quote"] and f["quote"] in text, f
    return [(f["value"], f["unit"], f["approx"], f["bounds"]) for f in result["facts"]]


# -- §1: inputs that crashed the analyzer ---------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        "培训百人。", "开展百余场活动。", "上百人参加。", "投入近亿元。", "送法进入千家万户。",
        "满意度百分之九十五。",
        "满意率提高3.2个百分点。", "完成60学时。", "七八十人参加。", "二三十人。", "十五六次。", "三五千份。",
        "受理٣件。", "万人。", "亿元。", "数件。", "几次。", "二一件。", "5-3人。", "十十件。", "百千件。",
        "〇五件。", "1,2,3件。", "3..5件。", "百分之。", "百分之百。", "千分之三。", "“”%", "三个一百%。",
        "上上百人。", "99999999999999999999999999999亿元。", "0.000000000001%。",
    ],
)  # fmt: skip
def test_inputs_that_crashed_give_a_result(body):
    result = analyze_text(TITLE + body, "t.txt")
    assert result["file"] == "t.txt" and isinstance(result["facts"], list)


NUMERALS = st.one_of(
    st.integers(0, 10**9).map(str),
    st.integers(0, 10**8).map(lambda n: cn2an.an2cn(n)),
    st.text(alphabet="零〇一二两三四五六七八九十百千万亿数几上余多近约", min_size=1, max_size=6),
    st.decimals(0, 10**6, places=3).map(str),
)
UNITS = st.sampled_from(
    ["件", "人", "人次", "%", "％", "‰", "万元", "个百分点", "学时", "分", "年", "天", "项", "个", "", "余件"]
)
NOISE = st.one_of(
    st.characters(categories=["Nd"]),  # digits of every script
    st.characters(categories=["P", "S", "Zs", "Cf", "No"]),
    st.sampled_from(
        ["\u200b", "\u3000", "，", "．", "—", "-", "至", "~", "“", "”", "\n", "其中", "占比", "率"]
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SEED_SENTENCES),
    st.lists(st.tuples(st.integers(0, 60), NUMERALS, UNITS, NOISE), max_size=6),
)
def test_random_numerals_in_real_sentences_never_raise(sentence, inserts):
    text = sentence
    for position, numeral, unit, noise in inserts:
        k = min(position, len(text))
        text = text[:k] + noise + numeral + unit + text[k:]
    result = analyze_text(TITLE + text, "t.txt")
    full = TITLE + text
    for f in result["facts"]:
        assert 0 <= f["start"] < f["end"] <= len(full)
        assert f["quote"] in full


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_never_raises(text):
    analyze_text(text, "t.txt")


# -- §2: number forms keep their value --------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("服务群众２．８万人次。", [(28000, "人次", False, None)]),
        ("结案率95．5％。", [(95.5, "%", False, None)]),
        ("办理案件1，085件。", [(1085, "件", False, None)]),
        ("办理案件1 085件。", [(1085, "件", False, None)]),
        ("办理案件4\u200b8件。", [(48, "件", False, None)]),
        ("办理案件４８件。", [(48, "件", False, None)]),
        ("办理案件٤٨件。", [(48, "件", False, None)]),
        ("开展培训三四次。", [(3, "次", True, [3, 4])]),
        ("开展培训一两次。", [(1, "次", True, [1, 2])]),
        ("开展培训数十次。", [(10, "次", True, [10, 90])]),
        ("开展培训十几次。", [(10, "次", True, [10, 19])]),
        ("参加七八十人。", [(70, "人", True, [70, 80])]),
        ("开展十五六次。", [(15, "次", True, [15, 16])]),
        ("发放三五千份。", [(3000, "份", True, [3000, 5000])]),
        ("每组3至5人。", [(3, "人", True, [3, 5])]),
        ("每组3-5人。", [(3, "人", True, [3, 5])]),
        ("每组三到五人。", [(3, "人", True, [3, 5])]),
        ("三分之二的案件当场办结。", []),
        ("领导十分重视。", []),
        ("零件加工企业。", []),
        ("走进千家万户。", []),
        ("实现“三个100%”。", [(100, "%", False, None)] * 3),
        ("满意度100 %。", [(100, "%", False, None)]),
        ("差错率0.5‰。", [(0.5, "‰", False, None)]),
        ("满意度提高5.94百分点。", [(5.94, "个百分点", False, None)]),
        ("满意度提高3.2个百分点。", [(3.2, "个百分点", False, None)]),
        ("满意度百分之九十五。", [(95, "%", False, None)]),
        ("行政审批事项由1296项减至405项。", [(1296, "项", False, None), (405, "项", False, None)]),
        ("上百人参加。", [(100, "人", True, None)]),
        ("开展百余场。", [(100, "场", True, None)]),
        ("投入近亿元。", [(100000000, "元", True, None)]),
        ("完成60学时。", [(60, "学时", False, None)]),
        ("创造一个良好的法治环境。", []),
        ("连续四年获评优秀，2024年开展培训3天。", [(4, "年", False, None), (3, "天", False, None)]),
        ("线上3场。", [(3, "场", False, None)]),
        ("坚持两个确立、两个维护，做到四个亲自，建成两个中心。", [(2, "个", False, None)]),
        ("邀请5位专家，实现两位数增长，构建三位一体格局。", [(5, "位", False, None)]),
        (
            "考核位列全市前十，进入全省前3名，前三季度办结。",
            [(10, "名", False, None), (3, "名", False, None)],
        ),
        ("召开专题会议一次，一次性告知，办成一件事。", [(1, "次", False, None)]),
        (
            "评查案卷120卷，办理业务2000笔，效率提高1.5倍，不足100人。",
            [
                (120, "卷", False, None),
                (2000, "笔", False, None),
                (1.5, "倍", False, None),
                (100, "人", True, None),
            ],
        ),
        ("开展为期3个月的专项行动，3个月内办结，每周通报。", [(3, "个月", False, None)]),
        ("出台规范性文件3部，联合3部门执法。", [(3, "部", False, None)]),
        ("设置宣传栏20块，办理120项次。", [(20, "块", False, None), (120, "项次", False, None)]),
    ],
)
def test_number_forms(body, expected):
    assert figures(body) == expected


def test_a_figure_the_cut_end_of_a_text_may_have_cut_is_not_taken():
    assert figures("建成1个工作站、8个村") == [(1, "个", False, None)]
    assert figures("建成1个工作站、8个村。") == [(1, "个", False, None), (8, "个", False, None)]
    assert figures("上线14个“高效办") == [(14, "个", False, None)]
    assert figures("建成1个工作站、8个村\n版权所有：某某县人民政府") == [(1, "个", False, None)]  # a footer


def test_traditional_characters_keep_their_indicator_and_offsets():
    simplified = analyze_text(TITLE + "全年共调解矛盾纠纷120件，调解成功118件，调解成功率98.3%。", "s.txt")
    traditional_text = TITLE + "全年共調解矛盾糾紛120件，調解成功118件，調解成功率98.3%。"
    traditional = analyze_text(traditional_text, "t.txt")
    assert [f["indicator"] for f in traditional["facts"]] == [f["indicator"] for f in simplified["facts"]]
    assert all(f["indicator"] for f in traditional["facts"])
    assert traditional["facts"][1]["quote"] == "調解成功118件"


def test_folding_maps_every_character_back():
    original = "ａ\u200b１ ０８５件，辦結ﬁ…①２\u3000項"
    folded = fold(original)
    assert folded.text == "a1085件,办结fi…①2 项"
    for k, c in enumerate(folded.text):
        a, b = folded.offsets.span(k, k + 1)
        assert original[a:b] in {c, "ﬁ"} or fold(original[a:b]).text.strip() == c.strip()


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**12))
def test_chinese_numerals_read_back(n):
    assert parse_numeral(cn2an.an2cn(n)).value == n
    assert parse_numeral(cn2an.an2cn(n).replace("二", "两", 1)).value == n or "二" not in cn2an.an2cn(n)[:1]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("百", 100),
        ("一万五", 15000),
        ("三千五", 3500),
        ("一万零五", 10005),
        ("一百零五", 105),
        ("两万三千", 23000),
    ],
)
def test_colloquial_numerals(numeral, value):
    assert parse_numeral(numeral).value == Decimal(value)


# -- one file's failure is that file's ---------------------------------------------------------------
def test_a_failing_file_becomes_its_error_and_the_batch_goes_on(tmp_path, monkeypatch):
    good, bad = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text(TITLE + "办理案件12件。", encoding="utf-8")
    bad.write_text(TITLE + "办理案件13件。", encoding="utf-8")
    real = batch.analyze_file

    def flaky(path: Path) -> dict:
        if path == bad:
            raise RuntimeError("boom")
        return real(path)

    monkeypatch.setattr(batch, "analyze_file", flaky)
    results = list(batch.analyze_files([bad, good, tmp_path / "missing.txt"]))
    assert [r["file"] for r in results] == [str(bad), str(good), str(tmp_path / "missing.txt")]
    assert "b.txt" in results[0]["error"] and "RuntimeError" in results[0]["error"]
    assert results[1]["facts"][0]["value"] == 12
    assert "文件不存在" in results[2]["error"]


# -- §7: cost grows with the text, not its square ------------------------------------------------------
def _dense_report(kilobytes: int) -> str:
    """Sentences of seed patterns with varying figures, as dense in figures as a statistical annex."""
    parts, size, n = [TITLE], 0, 0
    while size < kilobytes * 1024:
        sentence = SEED_SENTENCES[n % len(SEED_SENTENCES)]
        sentence = sentence.replace("120件", f"{100 + n % 900}件").replace("12件", f"{n % 50 + 1}件")
        parts.append(sentence + ("\n" if n % 7 == 0 else ""))
        size += len(sentence.encode())
        n += 1
    return "".join(parts)


def test_dense_figures_cost_linear_time_and_output():
    import time

    analyze_text(_dense_report(5), "warm.txt")  # compiled patterns and the catalogue
    # CPU time of this process: other work on the machine does not count against the bound
    text = _dense_report(100)
    started = time.process_time()
    result = analyze_text(text, "dense.txt")
    elapsed = time.process_time() - started
    assert len(result["facts"]) > 3000
    assert len(result["checks"]) < len(result["facts"])  # no check per pair of figures
    assert elapsed < 2.0, f"100 KB of dense figures took {elapsed:.1f} s"  # measured 0.2 s
    # one sentence of 100 KB (no 。 and no line break): every relation still looks at a few figures only
    run_on = text.replace("。", "，").replace("\n", "，")
    started = time.process_time()
    analyze_text(run_on, "run-on.txt")
    elapsed = time.process_time() - started
    assert elapsed < 2.0, f"100 KB without a sentence mark took {elapsed:.1f} s"  # measured 0.3 s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([".txt", ".docx", ".pdf", ".html"]),
    st.one_of(
        st.binary(min_size=1, max_size=400),
        st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body><table><tr><td rowspan=x>"]).flatmap(
            lambda head: st.binary(max_size=300).map(lambda tail: head + tail)
        ),
    ),
)
def test_any_bytes_are_read_or_refused_with_a_named_error(suffix, data):
    from fazhi.reports.analyzer.reading import ReadError, read_bytes

    try:
        text = read_bytes(data, f"报告{suffix}")
    except ReadError as exc:
        assert f"报告{suffix}" in str(exc)
    else:
        analyze_text(text, f"报告{suffix}")


CELLS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.sampled_from(
        [
            "",
            "合计",
            "小计",
            "其中：甲",
            "收案（件）",
            "结案率",
            "98.5%",
            "12件",
            "单位：人",
            "序号",
            "一",
            "%",
        ]
    ),
    st.text(alphabet="甲乙丙镇县件人0123456789.%（）()：", max_size=6),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=8), st.booleans())
def test_random_tables_never_raise(rows, caption):
    table = "\n".join("\t".join(row) for row in rows)
    text = TITLE + ("单位：件\n" if caption else "") + table + "\n合计\t15\t14\n全年办理案件15件。"
    result = analyze_text(text, "t.txt")
    for f in result["facts"]:
        assert text[f["start"] : f["end"]] in f["quote"]


def test_a_worker_dying_on_a_file_costs_that_file_only(tmp_path, monkeypatch):
    import os

    files = []
    for n in range(6):
        path = tmp_path / f"{n}.txt"
        path.write_text(TITLE + f"办理案件{n + 10}件。", encoding="utf-8")
        files.append(path)
    real = batch.analyze_file

    def crashing_on_3(path: Path) -> dict:
        if path.name == "3.txt":
            os._exit(1)  # as a crash inside a C library would
        return real(path)

    monkeypatch.setattr(batch, "analyze_file", crashing_on_3)  # the forked workers inherit it
    results = list(batch.analyze_files(files, jobs=2))
    assert [r["file"] for r in results] == [str(p) for p in files]
    assert "进程异常退出" in results[3]["error"] and "3.txt" in results[3]["error"]
    assert [r["facts"][0]["value"] for r in results if "error" not in r] == [10, 11, 12, 14, 15]


HTML_PIECES = st.sampled_from(
    [
        "<p>全年办理案件12件。</p>", "<h1>某县2024年法治政府建设情况报告</h1>", "<title>某县_报告</title>",
        "<table><tr><td rowspan='3'>复议</td><td colspan='2'>12</td></tr><tr><td>3</td></tr></table>",
        "<table>", "</table>", "<tr>", "<td>", "<br>", "<div>", "</div>", "<script>x</script>", "&nbsp;",
        "<td rowspan='99999'>", "<td colspan='-1'>", "一、主要举措", "合计\t15", "<h2>报告</h2>",
    ]
)  # fmt: skip


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HTML_PIECES, max_size=25))
def test_random_html_is_read_or_refused(pieces):
    from fazhi.reports.analyzer.reading import ReadError, read_bytes

    try:
        text = read_bytes(("<html><body>" + "".join(pieces) + "</body></html>").encode(), "r.html")
    except ReadError:
        return
    analyze_text(text, "r.html")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(
                    ["全年办理案件12", "件。", "一、主要举措", "— 3 —", "某县人民政府", "", "a\tb"]
                ),
                st.floats(0, 600),
                st.floats(0, 600),
                st.floats(-10, 900),
                st.floats(0.5, 30),
            ),
            max_size=8,
        ),
        max_size=5,
    )
)
def test_any_pdf_lines_make_paragraphs(pages):
    from fazhi.reports.analyzer.reading import _Line, _pdf_paragraphs

    lines = [[_Line(t or "x", x0, x0 + w, top, size) for t, x0, w, top, size in page] for page in pages]
    analyze_text(_pdf_paragraphs(lines), "r.pdf")
