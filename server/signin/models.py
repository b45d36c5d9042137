"""Tables of the sign-in room: school accounts linked to staff, devices and single-use codes.

Only hashes of device tokens and sign-in codes are stored (like `Staff.token_hash`). The one
secret kept readable is the provider's refresh token of a device signed in with the school
account, encrypted with a key derived from the app's secret key: the server needs it to ask the
provider, at each device refresh, whether the person is still signed in and still at the school.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models import Base, Staff, utcnow


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
