"""Browser journeys: a real server process with the demo data, driven by Playwright in Debian's Chromium.

The server runs ``manage.py runserver`` on a database of its own (a fresh PostgreSQL database when
the tests run on PostgreSQL, else a SQLite file), loaded with ``migrate`` and ``load_demo``. It never
shares the pytest database, so no transactional flush meets the audit table's append-only triggers.
It serves the static files as production does: built by ``collectstatic`` (hashed names, .gz and .br
copies) and sent by WhiteNoise (docs/decisions/0011-static-files-and-compression.md).
Never ``playwright install``: Chromium comes from Debian (``/usr/bin/chromium``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ZHULAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "Zhulao#Demo2026"  # the demo password printed by load_demo
LIVE_CLOCKS: dict[str, Path] = {}  # base URL → the server's clock-offset file (zhulao/core/clock.py)
LIVE_ENVS: dict[str, dict[str, str]] = {}  # base URL → the environment of its server (database, clock)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_database(tmp: Path) -> tuple[str, Any]:
    """A database URL for the server process and a cleanup callable."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"zhulao_e2e_{uuid.uuid4().hex[:10]}"
        parsed = urlparse(base)
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return parsed._replace(path=f"/{name}").geturl(), drop
    return f"sqlite:///{tmp / 'e2e.sqlite3'}", lambda: None


def _built_static(env: dict[str, str]) -> Path:
    """The static files built by ``collectstatic`` for the server, once for all test runs and workers
    until a file under static/ (or the settings) changes: ``var/test-static/<hash of the inputs>/``."""
    digest = hashlib.sha256((ROOT / "config" / "settings.py").read_bytes())
    for folder, dirs, files in os.walk(ROOT / "static", followlinks=True):  # static/vendor may be a link
        dirs.sort()
        for name in sorted(files):
            stat = (Path(folder) / name).stat()
            digest.update(f"{folder}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    base = ROOT / "var" / "test-static"
    base.mkdir(parents=True, exist_ok=True)
    target = base / digest.hexdigest()[:16]
    with (base / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other xdist worker waits for the same build
        if not (target / "staticfiles.json").exists():
            building = base / f"{target.name}.building"
            shutil.rmtree(building, ignore_errors=True)
            subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
                env={**env, "ZHULAO_STATIC_ROOT": str(building)},
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            for old in base.iterdir():
                if old.is_dir() and old != building:
                    shutil.rmtree(old, ignore_errors=True)
            building.rename(target)
    return target


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a server with migrations and the demo data loaded."""
    tmp = tmp_path_factory.mktemp("e2e")
    url, cleanup = _server_database(tmp)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "1",
        "ZHULAO_VAR_DIR": str(tmp),
        "ZHULAO_CLOCK_OFFSET_FILE": str(tmp / "clock-offset"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ZHULAO_STATIC_BUILT": "1",
    }
    env["ZHULAO_STATIC_ROOT"] = str(_built_static(env))
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (["migrate", "--noinput", "-v", "0"], ["load_demo", "--quiet-logins", "--people", "150"]):
        subprocess.run([*manage, *args], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    port = _free_port()
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"server did not start; see {tmp / 'server.log'}")
        LIVE_CLOCKS[base] = tmp / "clock-offset"
        LIVE_ENVS[base] = env
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        cleanup()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: make setup installs Debian's chromium")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True)
    tab = context.new_page()
    yield tab
    context.close()


def login(page: Any, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page: Any, name: str) -> Path:
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def move_clock(live_app: str) -> Iterator[Any]:
    """Move the live server's clock forward by whole days; put it back after the test."""
    path = LIVE_CLOCKS[live_app]

    def move(days: int) -> None:
        path.write_text(str(days), encoding="utf-8")

    yield move
    path.write_text("0", encoding="utf-8")


@pytest.fixture
def live_manage(live_app: str) -> Any:
    """Run a management command against the live server's database and clock (what cron does in production);
    returns its standard output."""
    env = LIVE_ENVS[live_app]

    def run(*args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, capture_output=True
        )
        return done.stdout.decode()

    return run
