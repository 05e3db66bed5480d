"""Production settings pass Django's deployment checklist, and refuse to start without their secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ZHULAO_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args], env=clean, cwd=ROOT, capture_output=True, text=True
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ZHULAO_AUDIT_KEY": "audit-key",
    "ZHULAO_PII_KEY": "pii-key",
    "DJANGO_ALLOWED_HOSTS": "zhulao.example.gov.cn",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret():
    env = {k: v for k, v in PRODUCTION.items() if k != "ZHULAO_PII_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ZHULAO_PII_KEY" in result.stderr
