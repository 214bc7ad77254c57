"""A readable Chinese summary of one analysis result (what ``fazhi analyze`` prints without --json)."""

from __future__ import annotations

from fazhi.indicators.catalogue import indicators
from fazhi.rules.catalogue import national_rule


def summary_text(result: dict) -> str:
    if "error" in result:
        return f"【{result['file']}】无法分析：{result['error']}"
    catalogue = indicators()
    lines = [
        f"【{result['file']}】",
        f"  标题：{result['title'] or '（未找到标题）'}",
        f"  单位：{result['unit'] or '（未识别）'}（{result['level'] or '层级未识别'}）"
        f"  年度：{result['year'] or '（未识别）'}",
        "  必备部分：",
    ]
    for p in result["parts"]:
        name = national_rule(f"annual_report.part.{p['part']}").name
        lines.append(
            f"    {'有' if p['present'] else '缺'}  {name}" + (f"：{p['heading']}" if p["present"] else "")
        )
    facts = result["facts"]
    mapped = [f for f in facts if f["indicator"]]
    lines.append(f"  数字：共{len(facts)}个，其中{len(mapped)}个对应指标目录：")
    for f in mapped:
        bounds = f.get("bounds")
        shown = f"{bounds[0]}–{bounds[1]}" if bounds else f["value"]
        value = f"{'约' if f['approx'] else ''}{shown}{f['unit']}"
        lines.append(f"    {catalogue[f['indicator']].name}：{value}  “{f['quote']}”")
    failed = [c for c in result["checks"] if not c["ok"]]
    lines.append(f"  核对：{len(result['checks']) - len(failed)}项通过，{len(failed)}项未通过")
    for c in result["checks"]:
        if c["rule"] != "required_part" or not c["ok"]:
            lines.append(f"    {'✓' if c['ok'] else '✗'} {c['message']}")
    if "against" in result:
        lines.append("  与台账核对：")
        for d in result["against"]:
            registered = "台账无数据" if d["registered"] is None else f"台账{d['registered']:g}"
            verdict = "一致" if d["ok"] else ("—" if d["registered"] is None else "不一致")
            lines.append(
                f"    {'✓' if d['ok'] else '✗'} {d['name']}：报告{d['stated']:g}，{registered}，{verdict}"
            )
    return "\n".join(lines)
