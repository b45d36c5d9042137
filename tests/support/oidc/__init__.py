"""A real OpenID provider for the tests (tests/support/oidc/provider.mjs: the certified `oidc-provider`
package from npm), one process per test session, and a small "browser" that signs in through it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from tests.support.serverproc import free_port

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).resolve().parent / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "secondlook", "secondlook-test-secret"
OTHER_CLIENT_ID, OTHER_CLIENT_SECRET = "other-app", "other-app-secret"
DOMAIN = "school.test"


class OidcProvider:
    """`node tests/support/oidc/provider.mjs <port>` on 127.0.0.1, with its test controls."""

    def __init__(self) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "OidcProvider":
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
            raise RuntimeError("node and node_modules/oidc-provider are needed: `make setup-test` installs them")
        self.process = subprocess.Popen([node, str(SCRIPT), str(self.port)], cwd=ROOT, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("ready"):
            self.stop()
            raise RuntimeError(f"the OpenID provider did not start: {line!r}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.issuer + "/.well-known/openid-configuration", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the OpenID provider does not answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()

    def control(self, action: str, email: str | None) -> None:
        req = urllib.request.Request(f"{self.issuer}/test/{action}", data=json.dumps({"email": email}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as res:
            assert res.status == 200

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """App config for a server that signs in through this provider."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_ALLOWED_DOMAINS": DOMAIN, "OIDC_SCOPES": "openid email profile groups",
                "OIDC_GROUP_ROLES": "sl-admins=admin sl-reviewers=reviewer",
                **overrides}

    def environment(self) -> dict[str, str]:
        return {f"SECONDLOOK_{k}": str(v) for k, v in self.settings().items()}


class ProviderBrowser:
    """Follows the provider's redirects and fills its log-in form, like a person's browser would.

    `sign_in(url, email)` returns the address the provider finally sends the browser to (the
    relying party's callback with `code` and `state`), without opening it.
    """

    def __init__(self, provider: OidcProvider) -> None:
        self.provider = provider
        self.http = requests.Session()

    def sign_in(self, url: str, email: str) -> str:
        for _ in range(12):
            if not url.startswith(self.provider.issuer):
                return url
            res = self.http.get(url, allow_redirects=False, timeout=10)
            if res.status_code in (302, 303):
                url = urljoin(url, res.headers["Location"])
                continue
            form = re.search(r'action="([^"]+/login)"', res.text)
            assert res.status_code == 200 and form, res.text[:500]
            res = self.http.post(urljoin(url, form.group(1)), data={"email": email}, allow_redirects=False,
                                 timeout=10)
            assert res.status_code in (302, 303), res.text[:500]
            url = urljoin(url, res.headers["Location"])
        raise AssertionError("too many redirects at the provider")

    def sign_out_everywhere(self, email: str) -> None:
        self.provider.control("end-sessions", email)
        self.http.cookies.clear()
