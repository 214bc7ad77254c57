"""`fazhi analyze`: the design.md §8 JSON contract, the Chinese summary, batch mode, comparison table."""

import csv
import json

from docx import Document
from openpyxl import load_workbook

from fazhi.cli import main

REPORT = """青山县长冈乡人民政府关于2024年度法治政府建设情况的报告

一、主要举措和成效
（一）化解矛盾纠纷。全年共调解矛盾纠纷120件，调解成功118件，调解成功率98.3%。
（二）行政复议。共收到行政复议案件12件，其中维持5件，撤销4件，驳回6件。
二、存在的不足和原因
一是普法形式单一。
三、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责人带头学法4次。
四、2025年工作安排
继续加强法治政府建设。
"""
CONTRACT = {"file", "title", "unit", "year", "level", "parts", "sections", "facts", "checks"}


def _write_docx(path, text):
    doc = Document()
    for line in text.splitlines():
        doc.add_paragraph(line)
    doc.save(path)


def test_json_contract_for_txt_and_docx(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(REPORT, encoding="gb18030")
    _write_docx(tmp_path / "b.docx", REPORT.replace("长冈乡", "河口镇"))
    assert main(["analyze", "--json", str(tmp_path / "a.txt"), str(tmp_path / "b.docx")]) == 0
    results = json.loads(capsys.readouterr().out)
    assert [set(r) for r in results] == [CONTRACT, CONTRACT]
    a, b = results
    assert (a["unit"], a["level"], a["year"]) == ("长冈乡", "乡镇", 2024)
    assert b["unit"] == "河口镇"
    assert [p["part"] for p in a["parts"] if p["present"]] == [
        "measures", "shortcomings", "first_responsible", "next_year",
    ]  # fmt: skip
    assert [s["number"] for s in a["sections"] if s["level"] == 1] == ["一", "二", "三", "四"]
    text = REPORT
    for fact in a["facts"]:  # offsets into the text as read
        assert str(fact["value"]).split(".")[0] in text[fact["start"] : fact["end"]].replace(",", "")
        assert text[fact["start"] : fact["end"]] in fact["quote"]
    rate = next(f for f in a["facts"] if f["indicator"] == "mediation_success_rate")
    assert (rate["value"], rate["unit"], rate["approx"]) == (98.3, "%", False)
    failed = [c for c in a["checks"] if not c["ok"]]
    assert [c["rule"] for c in failed] == ["breakdown_sum"]
    assert [a["facts"][i]["value"] for i in failed[0]["facts"]] == [12, 5, 4, 6]


def test_chinese_summary_without_json(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "单位：长冈乡（乡镇）  年度：2024" in out
    assert "缺  其他需要报告的情况" in out
    assert "调解成功率：98.3%" in out
    assert "✗ 分项之和 5件 + 4件 + 6件 = 15，大于总数12件" in out


def test_batch_over_a_folder_writes_the_table_and_reports_bad_files(tmp_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.html").write_text(f"<html><body><p>{REPORT.replace(chr(10), '</p><p>')}</p></body></html>")
    (folder / "c.docx").write_bytes(b"not a docx")
    (folder / "notes.md").write_text("ignored")
    out_csv, out_xlsx = tmp_path / "t.csv", tmp_path / "t.xlsx"
    assert main(["analyze", "--json", "--table", str(out_csv), str(folder)]) == 2
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert [r["file"].rsplit("/", 1)[-1] for r in results] == ["a.txt", "b.html", "c.docx"]
    assert "已损坏" in results[2]["error"] and "c.docx" in captured.err
    rows = list(csv.reader(out_csv.open(encoding="utf-8-sig")))
    # one row per indicator, one column per report; two reports of one unit and year are numbered
    assert rows[0] == ["领域", "指标", "单位", "长冈乡（1）", "长冈乡（2）", "c"]
    assert ["矛盾纠纷与公共法律服务", "调解成功数", "件", "118", "118", ""] in rows
    assert "项指标 × 3份报告" in captured.err

    assert main(["analyze", "--table", str(out_xlsx), str(folder / "a.txt"), str(folder / "b.html")]) == 0
    assert "× 2份报告" in capsys.readouterr().err
    sheet = load_workbook(out_xlsx).active
    assert [c.value for c in sheet[2]] == ["领域", "指标", "单位", "长冈乡（1）", "长冈乡（2）"]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == "调解成功数")
    assert [c.value for c in row[3:]] == [118, 118] and row[3].data_type == "n"


def test_bad_arguments(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "missing.txt")]) == 2
    assert "文件不存在" in capsys.readouterr().err
    assert main(["analyze", str(tmp_path)]) == 2
    assert "没有 txt、docx、doc、wps、pdf 或 html 报告" in capsys.readouterr().err
    (tmp_path / "a.txt").write_text(REPORT)
    assert main(["analyze", "--table", str(tmp_path / "t.json"), str(tmp_path / "a.txt")]) == 2
    assert ".csv 或 .xlsx" in capsys.readouterr().err


def test_a_batch_in_two_processes_keeps_order_and_survives_a_failing_file(tmp_path, capsys, monkeypatch):
    from fazhi.reports.analyzer import batch

    folder = tmp_path / "reports"
    folder.mkdir()
    for n in range(5):
        (folder / f"{n}.txt").write_text(REPORT.replace("120件", f"{120 + n}件"), encoding="utf-8")
    real = batch.analyze_file

    def failing_on_2(path):
        if path.name == "2.txt":
            raise RuntimeError("boom")
        return real(path)

    monkeypatch.setattr(batch, "analyze_file", failing_on_2)  # the forked workers inherit it
    out_csv = tmp_path / "t.csv"
    assert main(["analyze", "--json", "--jobs", "2", "--table", str(out_csv), str(folder)]) == 2
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert [r["file"].rsplit("/", 1)[-1] for r in results] == [f"{n}.txt" for n in range(5)]
    assert "2.txt" in results[2]["error"] and "RuntimeError" in results[2]["error"]
    assert "2.txt" in captured.err
    disputes = [
        next(f["value"] for f in r["facts"] if f["unit"] == "件") for r in results if "error" not in r
    ]
    assert disputes == [120, 121, 123, 124]
    rows = list(csv.reader(out_csv.open(encoding="utf-8-sig")))
    assert rows[0][3:] == ["长冈乡（1）", "长冈乡（2）", "2", "长冈乡（3）", "长冈乡（4）"]
    assert ["矛盾纠纷与公共法律服务", "调解矛盾纠纷数", "件", "120", "121", "", "123", "124"] in rows
