"""Request and response schemas of the v1 API: they validate input and generate the OpenAPI."""
from __future__ import annotations

import re

from flask import current_app, has_app_context
from marshmallow import RAISE, Schema, fields, post_load, validate, validates_schema, ValidationError

from server.adapter_health import KINDS, MISSING, SITES
from server.config import DEFAULTS
from server.nearmiss.reports import DECISIONS, REPORT_KINDS  # noqa: F401  (REPORT_KINDS: the report route's)
from server.vocabulary import (  # noqa: F401  (re-exported: the schemas' vocabulary)
    ACCOUNT_TYPES,
    ACTIONS,
    AUDIENCES,
    CLIENTS,
    PLATFORMS,
    SEVERITIES,
    VERDICTS,
)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE

    @post_load
    def _well_formed(self, data: dict, **kwargs) -> dict:  # noqa: ANN003
        """A lone UTF-16 surrogate (JSON "\\ud83d": half an emoji cut by an editor) becomes U+FFFD.

        JSON allows it and JavaScript sends it, but no database or encoder takes it (found by
        tests/api/test_fuzz_api.py: a 500). U+FFFD is one UTF-16 unit too, so spans still line up.
        """
        return {k: _LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in data.items()}


class DraftSchema(StrictSchema):
    """The draft being composed."""

    text = fields.String(load_default="", metadata={"description": "The post's text (at most 20,000 characters)."})
    platform = fields.String(required=True, validate=validate.OneOf(PLATFORMS))
    account_type = fields.String(required=True, validate=validate.OneOf(ACCOUNT_TYPES))
    account_handle = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    audience = fields.String(load_default="public", validate=validate.OneOf(AUDIENCES))
    client_draft_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    client = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(CLIENTS))

    @validates_schema
    def _text_length(self, data: dict, **kwargs) -> None:  # noqa: ANN003
        """At most MAX_TEXT_CHARS characters (the app's setting; the default outside a request)."""
        limit = current_app.config["MAX_TEXT_CHARS"] if has_app_context() else DEFAULTS["MAX_TEXT_CHARS"]
        if len(data.get("text") or "") > limit:
            raise ValidationError(f"Longer than maximum length {limit}.", "text")


class DraftUploadSchema(Schema):
    """POST /check as multipart/form-data: the draft, and the images to check with it (documentation
    of the form; server/api/parsing.py reads it, under the app's MAX_IMAGES)."""

    draft = fields.String(required=True, metadata={"description": "The Draft object as JSON"})
    images = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}),
                         validate=validate.Length(max=DEFAULTS["MAX_IMAGES"]))


class ClauseSchema(Schema):
    ref = fields.String()
    title = fields.String()
    text = fields.String()
    excerpt = fields.String(metadata={"description": "The clause's sentence that says why this rule fired."})


class SpanSchema(Schema):
    start = fields.Integer(metadata={"description": "UTF-16 code units into text"})
    end = fields.Integer()


class BoxSchema(Schema):
    top = fields.Integer()
    right = fields.Integer()
    bottom = fields.Integer()
    left = fields.Integer()


class ImageRefSchema(Schema):
    index = fields.Integer()
    box = fields.Nested(BoxSchema, allow_none=True)


class FindingSchema(Schema):
    rule = fields.String()
    title = fields.String(metadata={"description": "The rule's short title, for people."})
    help_url = fields.String(metadata={"description": "A page on this server explaining the rule."})
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    message = fields.String()
    suggestion = fields.String()
    clause = fields.Nested(ClauseSchema)
    span = fields.Nested(SpanSchema, allow_none=True)
    image = fields.Nested(ImageRefSchema, allow_none=True)
    fix = fields.Dict(allow_none=True, metadata={"description": "A safe one-click fix, when there is one."})
    link = fields.Dict(allow_none=True, metadata={
        "description": "A page on this server that helps act on the finding ({href: path, label}); it needs "
                       "a signed-in browser session, never the API token."})
    boxes = fields.List(fields.Dict(), allow_none=True, metadata={
        "description": "Several face boxes one finding is about (e.g. every face to check by eye)."})


class CheckResponseSchema(Schema):
    check_id = fields.String(dump_only=True)
    verdict = fields.String(dump_only=True, validate=validate.OneOf(VERDICTS))
    elapsed_ms = fields.Float(dump_only=True)
    findings = fields.List(fields.Nested(FindingSchema), dump_only=True)
    stripped_images = fields.List(fields.Dict(), dump_only=True, metadata={
        "description": "Copies of images with location metadata removed (index, media_type, base64)."})


class OutcomeSchema(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    override_reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class OutcomeResponseSchema(Schema):
    check_id = fields.String()
    outcome = fields.String()
    flagged = fields.Boolean()


class HealthSchema(Schema):
    status = fields.String()
    version = fields.String()
    database = fields.String()
    # "ready" (this worker loaded its models at start), "loading", or "on first use" (no warm-up)
    models = fields.String()


class ErrorDetailSchema(Schema):
    code = fields.String()
    message = fields.String()
    fields = fields.Dict()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema)


class MyChecksQuerySchema(StrictSchema):
    """Query string of GET /checks/mine."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class LoggedFindingSchema(Schema):
    """A finding as the log keeps it: rule, severity and clause ref; never the matched words."""

    rule = fields.String()
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    clause = fields.String(allow_none=True)
    span = fields.List(fields.Integer(), allow_none=True, metadata={"description": "Code-point offsets."})
    image = fields.Nested(ImageRefSchema, allow_none=True)


class ReportAnswerSchema(Schema):
    """The Director of IT's answer to a report, as the member of staff who made it sees it."""

    decision = fields.String(dump_only=True, validate=validate.OneOf(tuple(DECISIONS)))
    decision_words = fields.String(dump_only=True, metadata={"description": "The decision, for people."})
    text = fields.String(dump_only=True, metadata={
        "description": "The Director of IT's reply; any listed pupil's name in it is masked as [a pupil]."})
    answered_at = fields.DateTime(dump_only=True)


class MyReportSchema(Schema):
    """A "this is wrong" report the caller made about this check, and its answer."""

    kind = fields.String(dump_only=True, validate=validate.OneOf(tuple(REPORT_KINDS)))
    reported_at = fields.DateTime(dump_only=True)
    reason = fields.String(dump_only=True, allow_none=True, metadata={"description": "As logged (redacted)."})
    answer = fields.Nested(ReportAnswerSchema, dump_only=True, allow_none=True,
                           metadata={"description": "null until the Director of IT answers."})


class MyCheckSchema(Schema):
    """One of the caller's own near-misses, as the log holds it (redacted)."""

    check_id = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    platform = fields.String(dump_only=True)
    account_type = fields.String(dump_only=True)
    audience = fields.String(dump_only=True)
    verdict = fields.String(dump_only=True, validate=validate.OneOf(VERDICTS))
    rules = fields.List(fields.String(), dump_only=True)
    rule_titles = fields.List(fields.String(), dump_only=True, metadata={"description": "The rules' titles, for people."})
    findings = fields.List(fields.Nested(LoggedFindingSchema), dump_only=True)
    excerpt = fields.String(dump_only=True, allow_none=True,
                            metadata={"description": "The words around each finding, sensitive words masked."})
    images = fields.List(fields.Dict(), dump_only=True, metadata={"description": "index, sha256, faces"})
    outcome = fields.String(dump_only=True, allow_none=True)
    override_reason = fields.String(dump_only=True, allow_none=True)
    flagged = fields.Boolean(dump_only=True)
    reviewed = fields.Boolean(dump_only=True)
    reports = fields.List(fields.Nested(MyReportSchema), dump_only=True, metadata={
        "description": "Your \"this is wrong\" reports on this check, oldest first."})


class MyChecksResponseSchema(Schema):
    items = fields.List(fields.Nested(MyCheckSchema), dump_only=True)
    page = fields.Integer(dump_only=True)
    per_page = fields.Integer(dump_only=True)
    total = fields.Integer(dump_only=True)
    retention_days = fields.Integer(dump_only=True, metadata={"description": "How long records are kept."})


class AdapterHealthSchema(Schema):
    """POST /adapter-health: a composer the extension could not gate (never its text)."""

    class Meta:
        unknown = RAISE

    site = fields.String(required=True, validate=validate.OneOf(SITES))
    adapter = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9-]{1,32}$"))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    missing = fields.List(fields.String(validate=validate.OneOf(MISSING)), required=True,
                          validate=validate.Length(min=1, max=len(MISSING)))
    extension_version = fields.String(required=True, validate=validate.Regexp(r"^\d{1,5}(\.\d{1,5}){0,3}$"))


class AdapterHealthResponseSchema(Schema):
    recorded = fields.Integer(dump_only=True)


class ReportSchema(Schema):
    class Meta:
        unknown = "raise"

    kind = fields.String(required=True, validate=validate.OneOf(tuple(REPORT_KINDS)))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))


class ReportResponseSchema(Schema):
    check_id = fields.String()
    kind = fields.String()
    status = fields.String()
