"""The image pipeline's shape (issue 15): each upload sniffed and hashed once, a result object in
place of side channels on findings, and no HTTP in image_checks."""
from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

from image_checks import ImageCheckResult, ImageInput, intake
from tests.support.helpers import draft
from tests.support.image_synth import strangers

ROOT = Path(__file__).resolve().parents[2]


def test_each_upload_is_sniffed_and_hashed_once(app, client, auth, monkeypatch):
    photos = [strangers(2)[0].read_bytes(), strangers(2)[1].read_bytes()]
    sniffed, hashed = [], []
    real_sniff, real_sha256 = intake.sniff, hashlib.sha256

    def counting_sniff(data):
        sniffed.append(data)
        return real_sniff(data)

    def counting_sha256(data=b"", **kw):
        if any(bytes(data) == p for p in photos):
            hashed.append(data)
        return real_sha256(data, **kw)

    monkeypatch.setattr(intake, "sniff", counting_sniff)
    monkeypatch.setattr(hashlib, "sha256", counting_sha256)
    body = {"draft": json.dumps(draft("Trip today")),
            "images": [(io.BytesIO(p), f"{i}.jpg") for i, p in enumerate(photos)]}
    res = client.post("/api/v1/check", data=body, headers=auth, content_type="multipart/form-data")
    assert res.status_code == 200 and res.json["verdict"] == "block"
    assert len(sniffed) == 2 and len(hashed) == 2


def test_the_result_reports_each_image():
    from checks_common import Draft, default_policy
    from image_checks import check_images
    photo = strangers(1)[0].read_bytes()
    result = check_images([ImageInput(4, photo)], Draft(text="x"), default_policy(), None)
    assert isinstance(result, ImageCheckResult)
    (report,) = result.images
    assert report.index == 4 and report.sha256 == hashlib.sha256(photo).hexdigest()
    assert report.faces == 1 and report.stripped is None
    assert [f.rule for f in result] == ["pupil-image-personal-account"]


def test_image_checks_know_no_http_status():
    assert not hasattr(intake.IntakeError, "status")
    for path in (ROOT / "image_checks").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(413|415|422)\b|\bstatus_code\b|\bflask\b", source), path.name
