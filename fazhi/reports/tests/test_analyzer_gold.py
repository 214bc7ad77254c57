"""The analyzer against the gold annotations of the five seed reports (shared/gold)."""

import io
import shutil
from pathlib import Path

import pytest

from fazhi.reports.analyzer.analyze import analyze_text
from fazhi.reports.analyzer.facts import extract_facts
from fazhi.reports.analyzer.gold import GoldScore, load_gold, load_gold_dev, score
from fazhi.reports.analyzer.reading import ReadError, junk_spans, read_bytes, read_file
from fazhi.reports.analyzer.structure import (
    find_sections,
    find_title,
    find_unit,
    find_year,
    map_parts,
    unit_level,
)

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
GOLD = load_gold(SHARED / "gold", SHARED / "seeds") if (SHARED / "gold").is_dir() else []


@pytest.mark.skipif(not GOLD, reason="shared/gold is not beside the checkout")
def test_figures_against_gold():
    total = GoldScore()
    for seed, gold in GOLD:
        text = read_file(seed)
        facts = [f.as_dict() for f in extract_facts(text, junk_spans(text))]
        for f in facts:  # offsets point into the text as read: the figure's digits stand there
            assert any(
                c.isdigit() or c in "零〇一二两三四五六七八九十百千万" for c in text[f["start"] : f["end"]]
            ), f
        total.add(score(text, facts, gold))
    assert total.recall >= 0.97, total.missed
    assert not total.non_fact_hits, total.non_fact_hits
    assert total.catalogue_accuracy >= 0.90, total.wrong_ids
    # figures the gold leaves outside the catalogue mostly stay outside (measured: 5 of 64)
    assert total.spurious_rate <= 0.10, total.spurious_ids
    assert total.precision == 1.0, total.extra


@pytest.mark.skipif(not GOLD, reason="shared/gold is not beside the checkout")
@pytest.mark.parametrize(("seed", "gold"), GOLD, ids=[g["seed_file"][:3] for _, g in GOLD])
def test_structure_against_gold(seed, gold):
    text = read_file(seed)
    junk = junk_spans(text)
    title, _ = find_title(text, junk)
    unit = find_unit(title, text)
    assert unit == gold["unit"]
    assert unit_level(unit) == gold["level"]
    assert find_year(title, text) == gold["year"]
    sections = find_sections(text, junk)
    assert [s.heading for s in sections if s.level == 1] == gold["sections"]
    parts = {p["part"]: p for p in map_parts(text, sections)}
    assert all(parts[p]["present"] for p in ("measures", "shortcomings", "next_year")), parts


@pytest.mark.skipif(not GOLD, reason="shared/gold is not beside the checkout")
def test_debris_is_skipped_without_shifting_offsets():
    seed = next(s for s, g in GOLD if g["seed_file"].startswith("003"))
    text = read_file(seed)
    spans = junk_spans(text)
    assert any("佚名" in text[a:b] for a, b in spans)
    assert any("版权所有" in text[a:b] for a, b in spans)
    facts = extract_facts(text, spans)
    assert all(not any(a <= f.start < b for a, b in spans) for f in facts)


def test_gb18030_text_and_bad_inputs():
    text = "某县司法局关于2024年度法治政府建设情况的报告\n全年办理法律援助案件632件。"
    assert read_bytes(text.encode("gb18030"), "r.txt") == text
    with pytest.raises(ReadError, match="不支持的文件类型"):
        read_bytes(b"x", "r.exe")
    with pytest.raises(ReadError, match="文件是空的"):
        read_bytes(b"  ", "r.txt")
    with pytest.raises(ReadError, match="已损坏"):
        read_bytes(b"not a zip", "r.docx")


def _pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws ``content`` (a content stream), with byte-exact xref offsets."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_and_scans():
    text = read_bytes(_pdf(b"BT /F1 12 Tf 72 720 Td (Handled 632 cases in 2024) Tj ET"), "r.pdf")
    assert "632 cases" in text
    with pytest.raises(ReadError, match="没有文字层"):
        read_bytes(_pdf(b"0 0 m 100 100 l S"), "scan.pdf")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_old_word_files_are_read_through_libreoffice(tmp_path):
    from docx import Document

    from fazhi.reports.libreoffice import convert

    doc = Document()
    doc.add_paragraph("长冈乡人民政府关于2024年度法治政府建设情况的报告")
    doc.add_paragraph("全年办理法律援助案件632件。")
    out = io.BytesIO()
    doc.save(out)
    legacy = convert(out.getvalue(), ".docx", "doc", what="生成测试用 doc 文件")
    text = read_bytes(legacy, "报告.doc")
    assert "法律援助案件632件" in text


def test_old_word_files_without_libreoffice(monkeypatch):
    monkeypatch.setattr("fazhi.reports.libreoffice.program", lambda: None)
    with pytest.raises(ReadError, match=r"报告\.doc：本机未安装 LibreOffice.*另存为 docx"):
        read_bytes(b"\xd0\xcf\x11\xe0 old word", "报告.doc")


DEV = load_gold_dev(SHARED / "gold-dev") if (SHARED / "gold-dev" / "gold").is_dir() else []


@pytest.mark.skipif(not DEV, reason="shared/gold-dev is not beside the checkout")
def test_figures_against_the_development_set():
    """21 real report openings (measured: recall 173/173, precision 173/173, no annotated non-figure)."""
    total = GoldScore()
    for text, gold in DEV:
        result = analyze_text(text, gold["id"])
        total.add(score(text, result["facts"], gold))
    assert total.recall >= 0.97, total.missed
    assert total.precision >= 0.97, total.extra
    assert len(total.non_fact_hits) <= 2, total.non_fact_hits


@pytest.mark.skipif(not DEV, reason="shared/gold-dev is not beside the checkout")
def test_checks_on_the_development_set_find_its_one_real_error_and_no_other():
    found = {}
    for text, gold in DEV:
        result = analyze_text(text, gold["id"])
        found[gold["id"]] = [
            (c["message"], c["ok"]) for c in result["checks"] if c["rule"] != "required_part"
        ]
    failed = [(n, m) for n, checks in found.items() for m, ok in checks if not ok]
    assert failed == [("10", next(m for m, ok in found["10"] if not ok))], failed
    assert "2369项 ÷ 2474项 = 95.76%，报告写“95.87%”" in failed[0][1]
    assert any("1件 + 73件 = 74，与总数74件一致" in m for m, _ in found["04"])
    assert any("218项 + 297项 = 515，与总数515项一致" in m for m, _ in found["13"])
