#!/usr/bin/env python3
"""Check the Simplified Chinese catalogue: every entry translated, none fuzzy.

Usage: python scripts/check_translations.py [PATH_TO_PO]   (default: locale/zh_Hans/LC_MESSAGES/django.po)

Exit status 0 when the catalogue is complete; 1 with one line per problem otherwise:
an empty msgstr (for plural entries, any empty msgstr[i]), a ``fuzzy`` flag (Django
ignores fuzzy entries), or a python-format entry whose translation does not use the
same ``%(name)s`` placeholders as its msgid. Stdlib only, so it runs without the venv.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(.)")
# %(name)s style and bare %s / %d, as in python-format strings; %% is a literal percent sign.
_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[a-zA-Z%])")


@dataclass
class Entry:
    """One message of a PO file, as far as the checks need it."""

    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plain msgstr is stored as index 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def label(self) -> str:
        text = self.msgid or ""
        if self.msgctxt is not None:
            text = f"{self.msgctxt}\u0004{text}"
        return text if len(text) <= 70 else f"{text[:67]}..."


def _unquote(literal: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), literal.strip()[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Parse a PO file into entries; obsolete (``#~``) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    pending_line = 0
    target: tuple[str, int] | None = None  # (field, plural index) that continuation lines extend

    def finish() -> None:
        nonlocal current, target
        if current is not None and current.msgid is not None:
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            pending_flags, pending_line = set(), 0
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.msgid is not None:
                finish()  # a comment after a complete entry starts the next one
            if line.startswith("#,"):
                pending_flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            pending_line = pending_line or number
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.group(1), match.group(2), _unquote(match.group(3))
            starts_entry = keyword == "msgctxt" or (
                keyword == "msgid" and (current is None or current.msgid is not None)
            )
            if starts_entry:
                finish()
            if current is None:
                current = Entry(line=pending_line or number, flags=pending_flags)
                pending_flags, pending_line = set(), 0
            if keyword == "msgctxt":
                current.msgctxt, target = literal, ("msgctxt", 0)
            elif keyword == "msgid":
                current.msgid, target = literal, ("msgid", 0)
            elif keyword == "msgid_plural":
                current.msgid_plural, target = literal, ("msgid_plural", 0)
            else:
                position = int(index) if index is not None else 0
                current.msgstr[position], target = literal, ("msgstr", position)
            continue
        if line.startswith('"') and current is not None and target is not None:
            name, position = target
            extra = _unquote(line)
            if name == "msgstr":
                current.msgstr[position] += extra
            elif name == "msgid":
                current.msgid = (current.msgid or "") + extra
            elif name == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + extra
            else:
                current.msgctxt = (current.msgctxt or "") + extra
            continue
        raise ValueError(f"{path}:{number}: cannot parse line: {raw!r}")
    finish()
    return entries


def _placeholders(text: str) -> tuple[set[str], int]:
    """Named placeholders, and the number of unnamed ones, in a python-format string."""
    names: set[str] = set()
    unnamed = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.group("conv") == "%":
            continue
        if match.group("name") is not None:
            names.add(match.group("name"))
        else:
            unnamed += 1
    return names, unnamed


def find_problems(path: Path = DEFAULT_PO) -> list[str]:
    """One human-readable line per untranslated, fuzzy or placeholder-mismatched entry."""
    problems: list[str] = []
    for entry in parse_po(path):
        where = f"{path.name}:{entry.line}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy: {'<header>' if entry.is_header else entry.label()!r}")
        if entry.is_header:
            continue
        if not entry.msgstr:
            problems.append(f"{where}: no msgstr: {entry.label()!r}")
            continue
        if entry.msgid_plural is not None and 0 not in entry.msgstr:
            problems.append(f"{where}: no msgstr[0]: {entry.label()!r}")
        for position, text in sorted(entry.msgstr.items()):
            if not text:
                slot = f"msgstr[{position}]" if entry.msgid_plural is not None else "msgstr"
                problems.append(f"{where}: empty {slot}: {entry.label()!r}")
            elif "python-format" in entry.flags:
                source = (entry.msgid or "") + " " + (entry.msgid_plural or "")
                want_names, _ = _placeholders(source)
                want_unnamed = _placeholders(entry.msgid or "")[1]
                got_names, got_unnamed = _placeholders(text)
                if got_names != want_names or got_unnamed != want_unnamed:
                    problems.append(
                        f"{where}: placeholders differ ({sorted(got_names)} vs {sorted(want_names)}): {entry.label()!r}"
                    )
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PO
    if not path.is_file():
        sys.stderr.write(f"check_translations: {path} does not exist\n")
        return 1
    entries = parse_po(path)
    problems = find_problems(path)
    if problems:
        sys.stderr.write("".join(f"{problem}\n" for problem in problems))
        sys.stderr.write(f"check_translations: {len(problems)} problem(s) in {path}\n")
        return 1
    messages = sum(1 for entry in entries if not entry.is_header)
    sys.stdout.write(f"check_translations: {messages} messages, all translated ({path})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
