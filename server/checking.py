"""Runs a check end to end: text and image rules, the verdict, the answer and the near-miss log."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from checks_common import Draft, Finding, utf16_span, verdict_of
from image_checks import ImageInput, check_images
from server.clean_counts import count_clean, current_ruleset
from server.models import Check, Staff, new_check_id
from server.redaction import logged_finding, logged_images, redacted_excerpt, redacted_text
from text_checks import TextChecker


@dataclass
class CheckResult:
    check_id: str
    verdict: str
    findings: list[Finding]
    elapsed_ms: float
    extra: dict[str, Any] = field(default_factory=dict)


_LOG_INSERT = Check.__table__.insert()


def text_checker() -> TextChecker:
    return current_app.extensions["secondlook.text_checker"]


def run_check(draft: Draft, images: list[ImageInput], staff: Staff, db: Session) -> CheckResult:
    """Check a draft and log it if anything was found (redacted); clean checks are only counted."""
    started = time.perf_counter()
    policy = current_app.extensions["secondlook.policy"]
    nopublish = current_app.extensions["secondlook.nopublish"]
    findings = text_checker().check(draft, names=nopublish.names(db))
    if images:
        findings.extend(check_images(images, draft, policy, nopublish.index(db)))
    extra = _stripped_images(findings)
    verdict = verdict_of(findings)
    check_id = new_check_id()
    elapsed_ms = (time.perf_counter() - started) * 1000
    if findings:
        # A Core insert of a prebuilt statement: the ORM unit of work would triple the log's cost.
        db.connection().execute(_LOG_INSERT, dict(
            id=check_id,
            staff_id=staff.id,
            platform=draft.platform,
            account_type=draft.account_type,
            audience=draft.audience,
            client=draft.client,
            verdict=verdict,
            findings=[_logged_finding(f, draft.text) for f in findings],
            rules=" " + " ".join(sorted({f.rule for f in findings})) + " ",
            excerpt=redacted_excerpt(draft.text, findings),
            images=logged_images(images, findings),
            elapsed_ms=round(elapsed_ms, 2),
        ))
    else:
        count_clean(db, draft, current_ruleset(current_app))
    db.commit()
    return CheckResult(check_id=check_id, verdict=verdict, findings=findings, elapsed_ms=elapsed_ms, extra=extra)


def _stripped_images(findings: list[Finding]) -> dict[str, Any]:
    """Copies without location metadata ride on image-location findings; answer with them, never log them."""
    copies = [f.extra.pop("stripped") for f in findings if "stripped" in f.extra]
    return {"stripped_images": copies} if copies else {}


def _logged_finding(f: Finding, text: str = "") -> dict[str, Any]:
    """What the log keeps of a finding: never the matched text, only where and why (redaction.py)."""
    return logged_finding(f, text)


def redact_free_text(text: str, db: Session, limit: int = 500) -> str:
    """Free text a member of staff typed for the log (an override reason), with whatever the text
    rules find sensitive in it masked, so a reason cannot smuggle a pupil's name into the log."""
    nopublish = current_app.extensions["secondlook.nopublish"]
    findings = text_checker().check(Draft(text=text), names=nopublish.names(db))
    return redacted_text(text, findings)[:limit]


def finding_for_client(f: Finding, text: str) -> dict[str, Any]:
    """A finding as the API sends it: spans in UTF-16 units, no explanation, never a pupil's name."""
    span = None
    if f.span:
        start, end = utf16_span(text, *f.span)
        span = {"start": start, "end": end}
    return {
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "suggestion": f.suggestion,
        "clause": {"ref": f.clause.ref, "title": f.clause.title, "text": f.clause.text},
        "span": span,
        "image": f.image.as_dict() if f.image else None,
        "fix": f.extra.get("fix"),
    }
