"""Document conversion through LibreOffice where it is installed (never downloaded at run time): the
PDF of a rendered report, and the text of old Word (.doc) and WPS (.wps) files."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class ConversionUnavailable(RuntimeError):
    pass


def program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str, *, what: str) -> bytes:
    """``data`` (a file ending in ``suffix``) converted to ``target`` (pdf, docx); ``what`` names the
    job in the Chinese message when LibreOffice is missing or fails."""
    soffice = program()
    if soffice is None:
        raise ConversionUnavailable(
            f"本机未安装 LibreOffice，无法{what}。"
            "请系统管理员安装 LibreOffice（apt install libreoffice-writer）。"
        )
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"document{suffix}"
        source.write_bytes(data)
        # a profile of its own per conversion: two soffice processes sharing one profile (the user's
        # default) wait on its lock or exit without converting, which workers running side by side hit
        profile = f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}"
        result = subprocess.run(
            [soffice, profile, "--headless", "--convert-to", target, "--outdir", tmp, str(source)],
            capture_output=True,
            timeout=120,
        )
        converted = source.with_suffix(f".{target}")
        if result.returncode or not converted.exists():
            error = result.stderr.decode(errors="replace")[:200]
            raise ConversionUnavailable(f"LibreOffice {what}失败：{error or '没有生成文件'}")
        return converted.read_bytes()
