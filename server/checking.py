"""Runs a check end to end: text and image rules, the verdict, the answer and the near-miss log."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import Session

from checks_common import Draft, Finding, utf16_span, verdict_of
from image_checks import ImageInput, check_images
from server.models import Check, CleanCheckCount, Staff, new_check_id
from server.redaction import redacted_excerpt
from text_checks import TextChecker


@dataclass
class CheckResult:
    check_id: str
    verdict: str
    findings: list[Finding]
    elapsed_ms: float
    extra: dict[str, Any] = field(default_factory=dict)


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
    verdict = verdict_of(findings)
    check_id = new_check_id()
    elapsed_ms = (time.perf_counter() - started) * 1000
    if findings:
        db.add(Check(
            id=check_id,
            staff_id=staff.id,
            platform=draft.platform,
            account_type=draft.account_type,
            audience=draft.audience,
            client=draft.client,
            verdict=verdict,
            findings=[_logged_finding(f) for f in findings],
            rules=" " + " ".join(sorted({f.rule for f in findings})) + " ",
            excerpt=redacted_excerpt(draft.text, findings),
            images=[{"index": img.index, "sha256": hashlib.sha256(img.data).hexdigest()} for img in images],
            elapsed_ms=round(elapsed_ms, 2),
        ))
    else:
        _count_clean(db)
    db.commit()
    return CheckResult(check_id=check_id, verdict=verdict, findings=findings, elapsed_ms=elapsed_ms)


def _logged_finding(f: Finding) -> dict[str, Any]:
    """What the log keeps of a finding: never the matched text, only where and why."""
    entry: dict[str, Any] = {"rule": f.rule, "severity": f.severity}
    if f.span:
        entry["span"] = list(f.span)
    if f.image:
        entry["image"] = f.image.as_dict()
    safe = {k: v for k, v in f.explanation.items() if k in {"pattern", "score", "lexicon", "distance_band", "kind"}}
    if safe:
        entry["explanation"] = safe
    return entry


def _count_clean(db: Session) -> None:
    today = date.today()
    updated = db.execute(
        update(CleanCheckCount).where(CleanCheckCount.day == today).values(count=CleanCheckCount.count + 1)
    ).rowcount
    if not updated:
        db.add(CleanCheckCount(day=today, count=1))


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
