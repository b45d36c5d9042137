"""Storage: staff, the no-publish list and its face templates, the near-miss log, the audit trail."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


ROLES = ("staff", "reviewer", "admin")


class Staff(Base):
    """A member of staff. Only a hash of the API token and of the admin password is kept."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="staff")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Pupil(Base):
    """A pupil on the no-publish list: their name blocks in text, their face in images."""

    __tablename__ = "pupils"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(64), index=True)
    year_group: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(32), default="no-consent")
    reason_note: Mapped[str | None] = mapped_column(String(200))
    review_by: Mapped[date | None] = mapped_column(Date)
    # Consent for biometric processing (Protection of Freedoms Act 2012 s.26-28, UK GDPR art. 9).
    parents_notified_on: Mapped[date | None] = mapped_column(Date)
    consent_given_by: Mapped[str | None] = mapped_column(String(200))
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    pupil_objected: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    templates: Mapped[list["FaceTemplate"]] = relationship(
        back_populates="pupil", cascade="all, delete-orphan", passive_deletes=True
    )


class FaceTemplate(Base):
    """A face's encodings and a small face-crop thumbnail; never the photo.

    `encoding`: dlib's 128-d encoding (float64 bytes); `arc_encoding`: the ArcFace network's 512-d
    encoding and `sface_encoding` SFace's 128-d one (float32 bytes), what matching uses by the
    policy's `[faces] network`; each empty on templates enrolled before its network existed and not
    re-encoded from their thumbnail (`records.upgrade_templates`).
    """

    __tablename__ = "face_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    encoding: Mapped[bytes] = mapped_column(LargeBinary)
    arc_encoding: Mapped[bytes | None] = mapped_column(LargeBinary)
    sface_encoding: Mapped[bytes | None] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    pupil: Mapped[Pupil] = relationship(back_populates="templates")


class Counter(Base):
    """Small named integers; `nopublish_version` tells every worker the list has changed."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


def new_check_id() -> str:
    return uuid.uuid4().hex


class Check(Base):
    """A near-miss: a check that found something. The draft is kept only as a redacted excerpt."""

    __tablename__ = "checks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_check_id)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    account_type: Mapped[str] = mapped_column(String(16))
    audience: Mapped[str] = mapped_column(String(16))
    client: Mapped[str | None] = mapped_column(String(32))
    verdict: Mapped[str] = mapped_column(String(8), index=True)
    findings: Mapped[list] = mapped_column(JSON, default=list)  # [{rule, severity, span?, image?}]
    rules: Mapped[str] = mapped_column(String(500), default="")  # " rule-a rule-b " for filtering
    excerpt: Mapped[str | None] = mapped_column(Text)
    images: Mapped[list] = mapped_column(JSON, default=list)  # [{index, sha256, faces}]
    elapsed_ms: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str | None] = mapped_column(String(16), index=True)
    override_reason: Mapped[str | None] = mapped_column(String(500))
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    review_note: Mapped[str | None] = mapped_column(Text)
    # Hash of (staff, the client's draft id): checks of one draft as it is typed share a record.
    draft_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # Keyed hash (HMAC, the app's secret) of the listed pupils' ids the check named: a draft whose
    # set of named pupils changes starts a new record (server/nopublish/enumeration.py), never their names.
    pupils_key: Mapped[str | None] = mapped_column(String(32))

    staff: Mapped[Staff | None] = relationship()


class CleanCheckCount(Base):
    """Checks that found nothing are counted per day, never stored."""

    __tablename__ = "clean_check_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CleanCheckTally(Base):
    """Clean checks per day, platform, account type and rule set (a fingerprint of the enabled
    rules), so the summary can show near-miss rates and when the rules changed. Never the draft."""

    __tablename__ = "clean_check_tallies"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    ruleset: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Who did what, when. Append-only: the app has no way to edit or delete an entry."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(120), index=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))


class OutcomeReport(Base):
    """Every outcome reported for a near-miss, in order (append-only). The first one is the record's
    outcome; later ones are history beside it and never overwrite it (server/nearmiss/outcomes.py)."""

    __tablename__ = "outcome_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[str] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(16))
    override_reason: Mapped[str | None] = mapped_column(String(500))
    #: "staff" (reported by the member of staff) or "draft-changed" (closed when the draft changed).
    source: Mapped[str] = mapped_column(String(16), default="staff")
    stands: Mapped[bool] = mapped_column(Boolean, default=False)  # the record's outcome


class AdminSession(Base):
    """A signed-in admin page session, kept on the server: the cookie only carries a random id, and
    only its SHA-256 is stored. Logging out deletes the row, so a copied cookie stops working."""

    __tablename__ = "admin_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginThrottle(Base):
    """Failed sign-ins per account (a keyed hash of the name typed, known or not) and per address,
    for the back-off in server/admin/signin_guard.py."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PupilMatchTally(Base):
    """Which listed pupils each member of staff's checks named, per UTC day, as keyed hashes of the
    pupil ids (never names), so that a token used to list the school roll against the no-publish
    list shows up (server/nopublish/enumeration.py). Rows older than yesterday are deleted as new ones come."""

    __tablename__ = "pupil_match_tallies"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    staff_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_key: Mapped[str] = mapped_column(String(32), primary_key=True)


class AdapterHealth(Base):
    """The extension could not gate a composer on a supported site (server/adapter_health.py):
    counted per UTC day, site, adapter, composer kind, what was missing and extension version,
    with when it was first and last seen. Never the draft, the page address or who it was."""

    __tablename__ = "adapter_health"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    site: Mapped[str] = mapped_column(String(32), primary_key=True)
    adapter: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    missing: Mapped[str] = mapped_column(String(32), primary_key=True)
    extension_version: Mapped[str] = mapped_column(String(24), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
# ---- sign-in with the school's accounts (server/signin/) -----------------------------------------
# Only hashes of device tokens and sign-in codes are stored (like `Staff.token_hash`). The one
# secret kept readable is the provider's refresh token of a device signed in with the school
# account, encrypted with a key derived from the app's secret key: the server needs it to ask the
# provider, at each device refresh, whether the person is still signed in and still at the school.

class SignInIdentity(Base):
    """A school account (issuer + subject) that signs in as a member of staff."""

    __tablename__ = "signin_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_signin_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_signin_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    staff: Mapped[Staff] = relationship()


class Device(Base):
    """One signed-in browser, extension or phone of one member of staff.

    `access_hash` is the short-lived bearer token's hash, `refresh_hash` the long-lived one's;
    `previous_refresh_hash` is the refresh token just rotated away, kept to notice a stolen copy
    being replayed (then the device is revoked). `upstream_refresh` is the provider's refresh
    token (encrypted), present only for devices signed in with the school account.
    """

    __tablename__ = "signin_devices"
    __table_args__ = (Index("ix_signin_devices_staff_active", "staff_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    client: Mapped[str] = mapped_column(String(32))  # extension | check-page | script
    method: Mapped[str] = mapped_column(String(16))  # school-account | qr-code
    access_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    access_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    previous_refresh_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    refresh_expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    upstream_refresh: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(120))

    staff: Mapped[Staff] = relationship()


class SignInCode(Base):
    """A single-use code that a device exchanges (by POST) for its own tokens.

    Made by IT for a phone (the QR code, five minutes) or by the server at the end of a school
    account sign-in, to hand the result to the page or extension that asked (two minutes).
    """

    __tablename__ = "signin_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # qr-code | school-account
    client: Mapped[str | None] = mapped_column(String(32))
    device_name: Mapped[str | None] = mapped_column(String(120))
    upstream_refresh: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    staff: Mapped[Staff] = relationship()
