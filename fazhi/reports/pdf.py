"""PDF of a DOCX through LibreOffice, where it is installed (never downloaded at run time)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    pass


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, name: str = "report") -> bytes:
    program = libreoffice()
    if program is None:
        raise PdfUnavailable(
            "本机未安装 LibreOffice，无法生成 PDF。请下载 DOCX 后用办公软件另存为 PDF，"
            "或请系统管理员安装 LibreOffice（apt install libreoffice-writer）。"
        )
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(data)
        result = subprocess.run(
            [program, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
            capture_output=True,
            timeout=120,
        )
        target = source.with_suffix(".pdf")
        if result.returncode or not target.exists():
            raise PdfUnavailable(f"LibreOffice 转换 PDF 失败：{result.stderr.decode(errors='replace')[:200]}")
        return target.read_bytes()
