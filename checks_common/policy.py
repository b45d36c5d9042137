"""The school's policy file (TOML): names, handles, disclaimers, thresholds, rule switches, clauses.

Loaded and validated once at start-up with marshmallow schemas that reject unknown keys, so a typo
in a school's file fails loudly with the key's name instead of silently switching a rule off.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from checks_common.finding import SEVERITIES, Clause

DEFAULT_POLICY_FILE = "default_policy.toml"


class PolicyError(ValueError):
    """The policy file cannot be used; the message names the file and the bad key."""


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def _str_list(**kwargs: Any) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(min=1)), load_default=list, **kwargs)


class _SchoolSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1))
    aliases = _str_list()
    handles = _str_list()
    hashtag_prefixes = _str_list()
    public_phones = _str_list()
    public_emails = _str_list()
    public_addresses = _str_list()
    public_postcodes = _str_list()
    image_authors = _str_list()


class _DisclaimerSchema(_Strict):
    phrases = _str_list(validate=validate.Length(min=1))
    suggestion = fields.String(load_default="Views my own.")


class _ContactsSchema(_Strict):
    pupil_handles = _str_list()
    parent_handles = _str_list()
    press_handles = _str_list()


class _FacesSchema(_Strict):
    # Scores are ArcFace distances between unit encodings (0-2; image_checks/index.py). Values
    # below 0.6 are refused: they are on the dlib scale of earlier policy files (0.47 then ~ 1.06 now).
    match_threshold = fields.Float(load_default=1.06, validate=validate.Range(
        0.6, 1.6, error="must be between {min} and {max} (face scores are on the ArcFace scale now: "
                        "multiply an old dlib threshold such as 0.47 by 2.25)"))
    possible_threshold = fields.Float(load_default=1.10, validate=validate.Range(
        0.6, 1.6, error="must be between {min} and {max} (face scores are on the ArcFace scale now: "
                        "multiply an old dlib threshold such as 0.49 by 2.25)"))
    min_face_px = fields.Integer(load_default=24, validate=validate.Range(8, 400))
    # Faces narrower than this are matched, but a non-match is not trusted (unverifiable-face).
    clear_face_px = fields.Integer(load_default=40, validate=validate.Range(8, 400))
    # Faces whose Laplacian variance (at 64 px) is below this are "blurred" (unverifiable-face).
    min_sharpness = fields.Float(load_default=30.0, validate=validate.Range(0.0, 10_000.0))
    # Nose offset from the eyes' midpoint, in eye distances, above which a face is "turned".
    max_yaw = fields.Float(load_default=0.45, validate=validate.Range(0.05, 2.0))
    detector = fields.String(load_default="hog", validate=validate.OneOf(("hog", "cnn")))
    landmarks = fields.Integer(load_default=5, validate=validate.OneOf((5, 68)))
    # Pixels all images of one request may hold together (refused beyond: too_many_pixels).
    max_request_megapixels = fields.Float(load_default=100, validate=validate.Range(1, 400))
    # At most this many faces of one photo are encoded and compared with the list; a crowd's
    # further faces (the smallest, the least clear) are reported as unverifiable (one region).
    max_checked_faces = fields.Integer(load_default=128, validate=validate.Range(8, 2000))
    # Which network recognises faces: SFace (default), the ArcFace network or dlib's ResNet (see
    # docs/images.md, "Provenance": a school whose impact assessment rejects one can use another).
    network = fields.String(load_default="sface", validate=validate.OneOf(("sface", "arcface", "dlib")))
    # Which face finder: YuNet (a learned detector, image_checks/detector_yunet.py) or Haar + HOG.
    finder = fields.String(load_default="yunet", validate=validate.OneOf(("yunet", "haar-hog")))
    num_jitters = fields.Integer(load_default=1, validate=validate.Range(1, 100))
    enrol_jitters = fields.Integer(load_default=10, validate=validate.Range(1, 100))
    enrol_min_face_px = fields.Integer(load_default=80, validate=validate.Range(20, 2000))
    max_megapixels = fields.Float(load_default=50.0, validate=validate.Range(1.0, 50.0))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["possible_threshold"] < data["match_threshold"]:
            raise ValidationError("must not be below match_threshold", "possible_threshold")
        if data["clear_face_px"] < data["min_face_px"]:
            raise ValidationError("must not be below min_face_px", "clear_face_px")


class _LogSchema(_Strict):
    retention_days = fields.Integer(load_default=365, validate=validate.Range(1, 3650))


class _LanguageSchema(_Strict):
    """Additions to the text rules' word lists: local words staff use, local names that look rude."""
    offensive_words = _str_list()
    safe_phrases = _str_list()
    # Score (0-1) at which each head of the language model makes its rule fire (docs/language-model.md).
    model_thresholds = fields.Dict(keys=fields.String(), values=fields.Float(validate=validate.Range(0.0, 1.0)),
                                   load_default=dict)
    # Score at which the fast model's head fires by itself, wherever the deep model says (docs/language-model.md).
    fast_model_thresholds = fields.Dict(keys=fields.String(),
                                        values=fields.Float(validate=validate.Range(0.0, 1.0)), load_default=dict)
    # Lower scores at which a head fires in a draft about the school's own people (docs/language-model.md).
    school_context_thresholds = fields.Dict(keys=fields.String(),
                                            values=fields.Float(validate=validate.Range(0.0, 1.0)), load_default=dict)


class _RuleSwitchSchema(_Strict):
    enabled = fields.Boolean(load_default=True)
    severity = fields.String(validate=validate.OneOf(SEVERITIES))


class _ClauseSchema(_Strict):
    title = fields.String(required=True)
    text = fields.String(required=True)


class _PolicySchema(_Strict):
    school = fields.Nested(_SchoolSchema, required=True)
    disclaimer = fields.Nested(_DisclaimerSchema, required=True)
    contacts = fields.Nested(_ContactsSchema, load_default=lambda: _ContactsSchema().load({}))
    faces = fields.Nested(_FacesSchema, load_default=lambda: _FacesSchema().load({}))
    log = fields.Nested(_LogSchema, load_default=lambda: _LogSchema().load({}))
    language = fields.Nested(_LanguageSchema, load_default=lambda: _LanguageSchema().load({}))
    rules = fields.Dict(keys=fields.String(), values=fields.Nested(_RuleSwitchSchema), load_default=dict)
    clauses = fields.Dict(keys=fields.String(), values=fields.Nested(_ClauseSchema), required=True)


@dataclass(frozen=True)
class Policy:
    """A school's policy, validated. Read-only: build a new one to change it."""

    school_name: str
    aliases: tuple[str, ...]
    handles: tuple[str, ...]
    hashtag_prefixes: tuple[str, ...]
    public_phones: tuple[str, ...]
    public_emails: tuple[str, ...]
    public_addresses: tuple[str, ...]
    public_postcodes: tuple[str, ...]
    image_authors: tuple[str, ...]
    disclaimer_phrases: tuple[str, ...]
    disclaimer_suggestion: str
    pupil_handles: tuple[str, ...]
    parent_handles: tuple[str, ...]
    press_handles: tuple[str, ...]
    face_match_threshold: float
    face_possible_threshold: float
    min_face_px: int
    retention_days: int
    rule_switches: dict[str, dict[str, Any]] = field(default_factory=dict)
    clauses: dict[str, Clause] = field(default_factory=dict)
    source: str = "<built-in>"
    face_settings: dict[str, Any] = field(default_factory=dict)  # the whole [faces] table
    extra_offensive_words: tuple[str, ...] = ()  # [language] offensive_words, lower case
    safe_phrases: tuple[str, ...] = ()  # [language] safe_phrases
    model_thresholds: dict[str, float] = field(default_factory=dict)  # [language] model_thresholds
    fast_model_thresholds: dict[str, float] = field(default_factory=dict)  # [language] fast_model_thresholds
    school_context_thresholds: dict[str, float] = field(default_factory=dict)  # [language] school_context_thresholds

    def face_setting(self, key: str, default: Any) -> Any:
        """One value of the policy's [faces] table (`default` when the table leaves it out)."""
        return self.face_settings.get(key, default)

    def model_threshold(self, head: str) -> float:
        """The score at which the language model's `head` fires (1.0 = never)."""
        return self.model_thresholds.get(head, 1.0)

    def fast_model_threshold(self, head: str) -> float:
        """The score at which the fast language model's `head` fires by itself (1.0 = never)."""
        return self.fast_model_thresholds.get(head, 1.0)

    def school_context_threshold(self, head: str) -> float:
        """The score at which `head` fires in a draft about the school's own people: the lower of this
        and `model_threshold` (a head without one keeps its own)."""
        return min(self.school_context_thresholds.get(head, 1.0), self.model_threshold(head))

    def rule_enabled(self, rule_id: str) -> bool:
        return self.rule_switches.get(rule_id, {}).get("enabled", True)

    def severity_for(self, rule_id: str, default: str) -> str:
        return self.rule_switches.get(rule_id, {}).get("severity") or default

    def clause(self, refs: str) -> Clause:
        """The clause for `refs`; several refs ("1, 2.9") are quoted together."""
        parts = [r.strip() for r in refs.replace("/", ",").split(",") if r.strip()]
        found = [self.clauses[r] for r in parts if r in self.clauses]
        if not found:
            return Clause(ref=refs, title="", text="")
        if len(found) == 1:
            return found[0]
        return Clause(
            ref=", ".join(c.ref for c in found),
            title=" / ".join(c.title for c in found),
            text=" ".join(c.text for c in found),
        )

    def is_school_handle(self, handle: str | None) -> bool:
        if not handle:
            return False
        wanted = handle.strip().lower().lstrip("@")
        return any(h.lower().lstrip("@") == wanted for h in self.handles)


def _describe(messages: Any, path: str = "") -> str:
    """Flatten marshmallow's nested error dict into 'faces.match_threshold: …' lines."""
    if isinstance(messages, dict):
        return "; ".join(_describe(v, f"{path}.{k}" if path else str(k)) for k, v in messages.items())
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return f"{path}: {' '.join(messages)}"
    if isinstance(messages, list):
        return "; ".join(_describe(m, path) for m in messages)
    return f"{path}: {messages}"


def parse_policy(text: str, source: str = "<string>") -> Policy:
    """Parse and validate a policy document; raise PolicyError naming the bad key."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from None
    try:
        data = _PolicySchema().load(raw)
    except ValidationError as exc:
        raise PolicyError(f"{source}: {_describe(exc.messages)}") from None
    unknown_clause_refs = [r for r in data["rules"] if not r.strip()]
    if unknown_clause_refs:
        raise PolicyError(f"{source}: rules: empty rule id")
    school, disclaimer, contacts, faces = data["school"], data["disclaimer"], data["contacts"], data["faces"]
    lower = lambda items: tuple(i.lower() for i in items)  # noqa: E731
    return Policy(
        school_name=school["name"],
        aliases=tuple(school["aliases"]) or (school["name"],),
        handles=tuple(school["handles"]),
        hashtag_prefixes=tuple(school["hashtag_prefixes"]),
        public_phones=tuple(school["public_phones"]),
        public_emails=lower(school["public_emails"]),
        public_addresses=tuple(school["public_addresses"]),
        public_postcodes=tuple(p.upper() for p in school["public_postcodes"]),
        image_authors=tuple(school["image_authors"]),
        disclaimer_phrases=tuple(disclaimer["phrases"]),
        disclaimer_suggestion=disclaimer["suggestion"],
        pupil_handles=lower(contacts["pupil_handles"]),
        parent_handles=lower(contacts["parent_handles"]),
        press_handles=lower(contacts["press_handles"]),
        face_match_threshold=faces["match_threshold"],
        face_possible_threshold=faces["possible_threshold"],
        min_face_px=faces["min_face_px"],
        retention_days=data["log"]["retention_days"],
        rule_switches=data["rules"],
        clauses={ref: Clause(ref=ref, title=c["title"], text=c["text"]) for ref, c in data["clauses"].items()},
        source=source,
        face_settings=dict(faces),
        extra_offensive_words=lower(data["language"]["offensive_words"]),
        safe_phrases=tuple(data["language"]["safe_phrases"]),
        model_thresholds=dict(data["language"]["model_thresholds"]),
        fast_model_thresholds=dict(data["language"]["fast_model_thresholds"]),
        school_context_thresholds=dict(data["language"]["school_context_thresholds"]),
    )


def load_policy(path: str | Path | None = None) -> Policy:
    """Load the policy at `path`, or the built-in default (King James's School) when None."""
    if path is None:
        return default_policy()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read policy file: {exc.strerror}") from None
    return parse_policy(text, source=str(path))


def default_policy_text() -> str:
    return resources.files("checks_common").joinpath(DEFAULT_POLICY_FILE).read_text(encoding="utf-8")


def default_policy() -> Policy:
    return parse_policy(default_policy_text(), source="<built-in default>")
