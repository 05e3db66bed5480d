"""Reading generated PDFs in tests: the text layer (poppler's ``pdftotext``, which
``scripts/system_packages.sh`` installs) and the check that no word is split across lines."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable

import pytest


def poppler(tool: str, data: bytes, *args: str) -> str:
    """Run a poppler-utils tool on a PDF given on stdin (the test is skipped where poppler-utils is missing)."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    result = subprocess.run(  # noqa: S603 - a poppler tool found on PATH, fed our own PDF on stdin
        [tool, *args, "-", *(["-"] if tool == "pdftotext" else [])], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, laid out as printed (one printed line, one text line)."""
    return poppler("pdftotext", data, "-layout", "-enc", "UTF-8")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def split_words(data: bytes, words: Iterable[str]) -> list[str]:
    """The ``words`` (names, villages) that no printed line of the PDF holds whole: a word wrapped in
    the middle ("叶梅" / "水") or missing. An empty list means every word is printed on one line."""
    lines = [compact(line) for line in pdf_text(data).splitlines()]
    return [word for word in words if not any(word in line for line in lines)]
