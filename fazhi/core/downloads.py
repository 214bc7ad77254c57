"""A file sent to the browser as a download, its Chinese name encoded as RFC 5987 asks."""

from urllib.parse import quote

from django.http import HttpResponse

CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}


def download(data: bytes, filename: str) -> HttpResponse:
    """``data`` named ``filename``; the content type follows the name's suffix."""
    suffix = filename[filename.rfind(".") :].lower()
    response = HttpResponse(data, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
