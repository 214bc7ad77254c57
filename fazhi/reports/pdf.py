"""PDF of a rendered report through LibreOffice, where it is installed."""

from __future__ import annotations

from .libreoffice import ConversionUnavailable, convert, program

PdfUnavailable = ConversionUnavailable


def libreoffice() -> str | None:
    return program()


PDF_UNAVAILABLE = (
    "本机未安装 LibreOffice，无法生成 PDF。请下载 DOCX 后用办公软件另存为 PDF，"
    "或请系统管理员安装 LibreOffice（apt install libreoffice-writer）。"
)


def docx_to_pdf(data: bytes, name: str = "report") -> bytes:
    if libreoffice() is None:
        raise PdfUnavailable(PDF_UNAVAILABLE)
    return convert(data, ".docx", "pdf", what="生成 PDF")
