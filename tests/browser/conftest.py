"""One live Second Look server and one Chromium (with the real unpacked extension) per test session.

The server is the real production entry point (`secondlook serve`, gunicorn, through
`tests/support/serverproc.py`) on a free port, on its own SQLite database in a temporary instance folder. Tests arrange data through
`live_app`, an in-process app on the same database (changes to the no-publish list reach the
server through the version counter, as they would reach any worker).

Pages of the fictional social sites are served at their real URLs through Playwright's request
routing (see `route_fixture`), so the extension's real match patterns apply.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tests.support.serverproc import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_DIR = ROOT / "extension"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Screenshots go to an ignored folder so `make test` leaves the working tree clean; the tracked
# copies in docs/screenshots/ (linked from the README and docs) are refreshed only on request:
# `make screenshots`, or SECONDLOOK_REFRESH_SCREENSHOTS=1 with any pytest run.
SCREENSHOTS_BUILD = ROOT / "build" / "screenshots"
SCREENSHOTS_DOCS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser


class LiveServer:
    """The running server: its URL, its environment and an in-process app on the same database."""

    def __init__(self, url: str, env: dict[str, str], app: Any) -> None:
        self.url = url
        self.env = env
        self.app = app

    def staff(self, name: str, role: str = "staff", password: str | None = None) -> str:
        """Create a member of staff on the live database and return their token."""
        from server.staff import create_staff
        with self.app.app_context():
            _, token, _ = create_staff(name, role, password=password or (f"pw-{name}" if role != "staff" else None),
                                       with_password=False)
        return token


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, oidc_provider: Any) -> Iterator[LiveServer]:
    """Signs staff in through the session's OpenID provider too (tests/support/oidc/)."""
    instance = tmp_path_factory.mktemp("live-instance")
    server = ServerProcess(instance, f"sqlite:///{instance / 'live.sqlite'}", workers=2, threads=4,
                           settings={"SECONDLOOK_SECRET_KEY": "browser-test-secret", **oidc_provider.environment()})
    app = server.init_db()
    with server.start():
        yield LiveServer(server.url, server.env, app)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser_context(playwright_instance: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium with the real unpacked extension loaded (one for the whole session)."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    ext = str(EXTENSION_DIR)
    args = [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage",
    ]
    if (EXTENSION_DIR / "manifest.json").exists():
        args += [f"--disable-extensions-except={ext}", f"--load-extension={ext}"]
    context = playwright_instance.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=args,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A fresh tab in the shared browser, closed after the test."""
    tab = browser_context.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def screenshot() -> Callable[[Any, str], Path]:
    """Save a screenshot under build/screenshots/ (ignored by git); with
    SECONDLOOK_REFRESH_SCREENSHOTS=1 also copy it over docs/screenshots/ (linked from the README)."""
    SCREENSHOTS_BUILD.mkdir(parents=True, exist_ok=True)
    refresh = os.environ.get("SECONDLOOK_REFRESH_SCREENSHOTS", "") not in ("", "0")

    def take(target: Any, name: str) -> Path:
        path = SCREENSHOTS_BUILD / f"{name}.png"
        target.screenshot(path=str(path))
        if refresh:
            SCREENSHOTS_DOCS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, SCREENSHOTS_DOCS / path.name)
        return path

    return take
