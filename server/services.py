"""Typed accessors for the app-wide services `create_app` and `db.init_app` set up.

Every module asks here instead of looking up `app.extensions["secondlook.…"]` by string, so a
service has one name, one type and one place that stores it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from checks_common import Policy
    from server.nopublish.state import NoPublishState
    from text_checks import TextChecker

POLICY = "secondlook.policy"
TEXT_CHECKER = "secondlook.text_checker"
NOPUBLISH = "secondlook.nopublish"
ENGINE = "secondlook.engine"
SESSIONS = "secondlook.sessions"
RULESET = "secondlook.ruleset"
LIMITER = "secondlook.limiter"


def _app(app: Flask | None) -> Flask:
    return app if app is not None else current_app  # type: ignore[return-value]


def register(app: Flask, name: str, service: Any) -> None:
    app.extensions[name] = service


def policy(app: Flask | None = None) -> Policy:
    """The school's social-media policy, loaded once at start."""
    return _app(app).extensions[POLICY]


def text_checker(app: Flask | None = None) -> TextChecker:
    return _app(app).extensions[TEXT_CHECKER]


def nopublish(app: Flask | None = None) -> NoPublishState:
    """This process's view of the no-publish list (name matcher and face index)."""
    return _app(app).extensions[NOPUBLISH]


def engine(app: Flask | None = None) -> Engine:
    return _app(app).extensions[ENGINE]


def sessions(app: Flask | None = None) -> sessionmaker[Session]:
    return _app(app).extensions[SESSIONS]
