"""Shared fixtures: an app per test on SQLite (and on PostgreSQL when configured), staff tokens."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from tests.support.helpers import BACKENDS, make_test_app

@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def app(tmp_path: Any, backend: str) -> Iterator[Any]:
    app, cleanup = make_test_app(tmp_path, backend)
    yield app
    cleanup()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def make_staff(app: Any) -> Callable[..., tuple[Any, str]]:
    """Create a member of staff; returns (staff, token). Admin roles get the password 'pw-<name>'; staff only the one given."""
    from server.staff import create_staff

    def make(name: str = "teacher", role: str = "staff", password: str | None = None) -> tuple[Any, str]:
        with app.app_context():
            staff, token, _ = create_staff(name, role, password=password or (f"pw-{name}" if role != "staff" else None),
                                           with_password=False)
        return staff, token

    return make


@pytest.fixture
def token(make_staff: Callable[..., tuple[Any, str]]) -> str:
    return make_staff("teacher", "staff")[1]


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Any]:
    """The real OpenID provider (oidc-provider on node), one per test session."""
    from tests.support.oidc import OidcProvider

    provider = OidcProvider().start()
    yield provider
    provider.stop()
