"""The Simplified Chinese catalogue is complete and compiled."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from django.utils import translation
from django.utils.translation import gettext, ngettext

REPO_ROOT = Path(__file__).resolve().parents[3]
CHECK_SCRIPT = REPO_ROOT / "scripts" / "check_translations.py"
PO_FILE = REPO_ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("zhulao_check_translations", CHECK_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def test_every_message_is_translated():
    checker = _load_checker()
    assert PO_FILE.is_file(), "run makemessages -l zh_Hans first"
    assert checker.find_problems(PO_FILE) == []
    assert len([e for e in checker.parse_po(PO_FILE) if not e.is_header]) > 0


def test_checker_reports_empty_and_fuzzy_entries(tmp_path):
    checker = _load_checker()
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Reset"\nmsgstr "重置"\n\n'
        '#, python-format\nmsgid "%(n)s event"\nmsgid_plural "%(n)s events"\nmsgstr[0] ""\n\n'
        'msgid "Search"\nmsgstr "查询"\n',
        encoding="utf-8",
    )
    problems = checker.find_problems(po)
    assert len(problems) == 3
    assert "'Save'" in problems[0]
    assert "fuzzy" in problems[1]
    assert "msgstr[0]" in problems[2]
    assert checker.main(["check_translations.py", str(po)]) == 1


def test_workbench_in_simplified_chinese():
    with translation.override("zh-hans"):
        assert gettext("Workbench") == "工作台"
        intact = ngettext(
            "The chain is intact (%(n)s event checked).", "The chain is intact (%(n)s events checked).", 3
        )
        assert intact % {"n": 3} == "哈希链完整（已校验 3 条记录）。"
    with translation.override("en"):
        assert gettext("Workbench") == "Workbench"
