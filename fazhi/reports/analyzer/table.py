"""The comparison table: one row per report, one column per catalogue indicator any report states."""

from __future__ import annotations

import csv
from pathlib import Path

from fazhi.indicators.catalogue import indicators

FIXED = ["文件", "单位", "层级", "年度", "未通过核对"]


def table_source(result: dict) -> dict:
    """What the comparison table needs of a result (its first figure per indicator, its failed checks):
    a batch keeps this small copy, not every figure and check of thousands of reports."""
    if "error" in result:
        return {"file": result["file"], "error": result["error"]}
    first: dict[str, dict] = {}
    for f in result["facts"]:
        if f["indicator"]:
            first.setdefault(f["indicator"], {k: f[k] for k in ("indicator", "value", "approx")})
    return {
        "file": result["file"],
        "unit": result["unit"],
        "level": result["level"],
        "year": result["year"],
        "facts": list(first.values()),
        "checks": [{"ok": False} for c in result["checks"] if not c["ok"]],
    }


def comparison_table(results: list[dict]) -> tuple[list[str], list[list]]:
    """Header and rows. A cell is the indicator's first stated figure ("约" marks an approximate one)."""
    catalogue = indicators()
    ids = [i for i in catalogue if any(f["indicator"] == i for r in results for f in r.get("facts", []))]
    header = FIXED + [f"{catalogue[i].name}（{catalogue[i].unit}）" for i in ids]
    rows = []
    for r in results:
        if "error" in r:
            rows.append([r["file"], "", "", "", r["error"]] + [""] * len(ids))
            continue
        first: dict[str, dict] = {}
        for f in r["facts"]:
            if f["indicator"]:
                first.setdefault(f["indicator"], f)
        failed = sum(1 for c in r["checks"] if not c["ok"])
        row = [r["file"], r["unit"] or "", r["level"] or "", r["year"] or "", failed]
        for i in ids:
            f = first.get(i)
            row.append("" if f is None else (f"约{f['value']}" if f["approx"] else f["value"]))
        rows.append(row)
    return header, rows


def write_table_bytes(header: list[str], rows: list[list]) -> bytes:
    """The table as an XLSX workbook."""
    from fazhi.core.xlsx import table_xlsx

    return table_xlsx("报告指标对照", header, rows)


def write_table(path: Path, header: list[str], rows: list[list]) -> None:
    """CSV (UTF-8 with BOM, so Excel opens it) or XLSX, by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
    elif suffix == ".xlsx":
        path.write_bytes(write_table_bytes(header, rows))
    else:
        raise ValueError(f"{path}：对照表只能保存为 .csv 或 .xlsx")
