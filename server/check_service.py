"""Runs a check end to end: text and image rules, the verdict, the answer and the near-miss log."""
from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from urllib.parse import urljoin

from flask import current_app, has_request_context, request
from sqlalchemy.orm import Session

from checks_common import Draft, Finding, utf16_span, verdict_of
from image_checks import ImageCheckResult, ImageInput, check_images
from server import services
from server.models import Staff, new_check_id
from server.nearmiss import recording as nearmiss
from server.nearmiss.clean_counts import current_ruleset
from server.help import relevant_sentence
from server.nearmiss.redaction import redacted_text
from server.rule_catalogue import RULE_CLASSES
from server.nopublish import enumeration
from text_checks import TextChecker


@dataclass
class CheckResult:
    check_id: str
    verdict: str
    findings: list[Finding]
    elapsed_ms: float
    #: copies of images without their location metadata: for the answer, never the log
    stripped_images: list[dict[str, Any]] = field(default_factory=list)
    #: the draft's first block on a school account: the caller queues its one alert (server/alerts)
    alert_block: bool = False


_pools: dict[int, ThreadPoolExecutor] = {}


def _text_pool() -> ThreadPoolExecutor:
    """Threads for text checks run beside image checks, one pool per process (a forked worker
    makes its own: threads do not survive a fork)."""
    pid = os.getpid()
    if pid not in _pools:
        _pools[pid] = ThreadPoolExecutor(max_workers=4, thread_name_prefix="text-check")
    return _pools[pid]


def text_checker() -> TextChecker:
    return services.text_checker()


def run_check(draft: Draft, images: list[ImageInput], staff: Staff, db: Session,
              client_draft_id: str | None = None) -> CheckResult:
    """Check a draft and log it if anything was found (redacted); clean checks are only counted.

    Checks of one draft (same `client_draft_id`) share a near-miss record (server/nearmiss/recording.py)."""
    started = time.perf_counter()
    policy = services.policy()
    nopublish = services.nopublish()
    names = nopublish.names(db)
    if images and draft.text:
        # the text rules (tens of ms, some models) run beside the images (a second or so): the
        # answer waits for the slower of the two, not for both
        text = _text_pool().submit(text_checker().check, draft, names=names)
        seen = check_images(images, draft, policy, nopublish.index(db))
        text_findings = text.result()
    else:
        text_findings = text_checker().check(draft, names=names)
        seen = check_images(images, draft, policy, nopublish.index(db)) if images else ImageCheckResult()
    findings, pupils_key = enumeration.guard(db, staff, text_findings)
    findings.extend(seen.findings)
    verdict = verdict_of(findings)
    check_id = new_check_id()
    elapsed_ms = (time.perf_counter() - started) * 1000
    recorded_id = nearmiss.record(db, check_id=check_id, staff_id=staff.id, draft=draft, images=seen.images,
                                  findings=findings, verdict=verdict, elapsed_ms=elapsed_ms,
                                  ruleset=current_ruleset(current_app), client_draft_id=client_draft_id,
                                  pupils_key=pupils_key)
    # a re-check of the same draft that shares its record (recorded_id is the earlier one) never alerts
    alert_block = (verdict == "block" and draft.account_type == "school" and recorded_id == check_id
                   and nearmiss.first_block_of_draft(db, staff.id, client_draft_id, check_id))
    db.commit()
    return CheckResult(check_id=recorded_id, verdict=verdict, findings=findings, elapsed_ms=elapsed_ms,
                       stripped_images=seen.stripped_images, alert_block=alert_block)


def redact_free_text(text: str, db: Session, limit: int = 500) -> str:
    """Free text a member of staff typed for the log (an override reason), with whatever the text
    rules find sensitive in it masked, so a reason cannot smuggle a pupil's name into the log."""
    nopublish = services.nopublish()
    findings = text_checker().check(Draft(text=text), names=nopublish.names(db))
    return redacted_text(text, findings)[:limit]


def _link_of(rule_id: str) -> dict[str, str] | None:
    """The page of this server a rule's findings link to (declared by the rule), made absolute so
    the extension can open it."""
    rule = RULE_CLASSES.get(rule_id)
    path = getattr(rule, "link_path", None)
    if not path:
        return None
    return {"href": _absolute(path), "label": rule.link_label}


def _absolute(path: str) -> str:
    return urljoin(request.url_root if has_request_context() else "/", path.lstrip("/"))


def finding_for_client(f: Finding, text: str) -> dict[str, Any]:
    """A finding as the API sends it: spans in UTF-16 units, no explanation, never a pupil's name."""
    span = None
    if f.span:
        start, end = utf16_span(text, *f.span)
        span = {"start": start, "end": end}
    return {
        "rule": f.rule,
        "title": RULE_CLASSES[f.rule].title if f.rule in RULE_CLASSES else f.rule,
        "help_url": _absolute(f"/help/rules/{f.rule}"),
        "severity": f.severity,
        "message": f.message,
        "suggestion": f.suggestion,
        "clause": {"ref": f.clause.ref, "title": f.clause.title, "text": f.clause.text,
                   "excerpt": relevant_sentence(f.rule, f.clause.text)},
        "span": span,
        "image": f.image.as_dict() if f.image else None,
        "fix": f.fix,
        "link": _link_of(f.rule),
        "boxes": [b.as_dict() for b in f.boxes] or None,
    }
