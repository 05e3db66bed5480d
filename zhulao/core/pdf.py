"""HTML templates to PDF with WeasyPrint, offline: nothing is fetched from outside our static files.

Fonts come from fontconfig (Debian ``fonts-noto-cjk``), never from a URL. Every other resource a
template or stylesheet names (images, stylesheets) goes through :class:`StaticOnlyFetcher`, which
serves files under the project's ``static/`` directory and refuses everything else: no http(s), no
``data:``, no file outside ``static/`` (``..`` and symlinks are resolved first).
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

PRINT_STYLESHEET = "css/print.css"


def static_dir() -> Path:
    """The project's own static directory (``static/``): the only place a PDF may read from."""
    return Path(settings.BASE_DIR, "static").resolve()


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """A URL fetcher that reads ``file:`` URLs under ``root`` and refuses any other URL."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=["file"], allow_redirects=False)
        self.root = root.resolve()

    def allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self.allowed_path(url)
        if path is None:
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise ValueError(f"Refused: only our static files may be fetched ({url[:80]})")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """Render ``template_name`` with ``context`` and print it on A4 with the print stylesheet."""
    root = static_dir()
    fetcher = StaticOnlyFetcher(root)
    html = render_to_string(template_name, context, request=request)
    stylesheet = CSS(filename=str(root / PRINT_STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet])
    return pdf
