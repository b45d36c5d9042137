"""Verified ID-token claims -> a member of staff.

The rules (docs/deployment.md, "Sign-in with the school's accounts"):

* With `OIDC_TENANT_ID` (Entra ID) the token's `tid` must be that tenant; the address is
  `email`, else `preferred_username` (the tenant vouches for its own accounts).
* Otherwise the provider must say `email_verified: true` (Google, most providers).
* With `OIDC_ALLOWED_DOMAINS` the address's domain must be one of them.
* The account is linked to a member of staff by (issuer, subject) once seen; the first time, to
  the member of staff whose name is that address (IT may add `jane@school.org` beforehand with a
  role), else a new member of staff with the role `staff` is created.
* Roles are IT's to grant on the staff page; with `OIDC_GROUP_ROLES` the directory's groups
  decide instead, at every sign-in (the highest role any group maps to, `staff` without one).
* A revoked member of staff stays revoked: signing in does not bring them back.

The same rules are applied again at every device refresh (`recheck`), so an account moved out of
the school's domain or tenant stops there.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server import audit
from server.models import ROLES, Staff
from server.models import SignInIdentity
from server.signin.provider import SignInRefused, settings


def school_email(claims: dict[str, Any]) -> str:
    """The person's school address, if the claims show they belong to the school; else refuse."""
    oidc = settings()
    if oidc.tenant_id:
        if claims.get("tid") != oidc.tenant_id:
            raise SignInRefused("That account is not in the school's Microsoft tenant.", "wrong_tenant")
        email = claims.get("email") or claims.get("preferred_username") or ""
    else:
        email = claims.get("email") or ""
        if claims.get("email_verified") is not True:
            raise SignInRefused("The sign-in service has not verified that account's e-mail address.",
                                "email_unverified")
    email = str(email).strip().lower()
    if "@" not in email:
        raise SignInRefused("The sign-in service sent no e-mail address for that account.", "no_email")
    domain = email.rsplit("@", 1)[1]
    if oidc.allowed_domains and domain not in oidc.allowed_domains:
        raise SignInRefused(f"Accounts at {domain} cannot sign in to this school's Second Look.", "domain_not_allowed")
    return email


def _role_from_groups(claims: dict[str, Any]) -> str | None:
    oidc = settings()
    if not oidc.group_roles:
        return None
    groups = claims.get(oidc.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    mapped = [oidc.group_roles[g] for g in groups if isinstance(g, str) and g in oidc.group_roles]
    return max(mapped, key=ROLES.index) if mapped else "staff"


def _apply_group_role(db: Session, staff: Staff, claims: dict[str, Any]) -> None:
    """With OIDC_GROUP_ROLES, the directory's groups set the role (audited when it changes)."""
    role = _role_from_groups(claims)
    if role is not None and role != staff.role:
        audit.record(db, "directory", "staff.role_changed", staff.name, role=role, previous=staff.role,
                     via="group claim")
        staff.role = role


def staff_for_claims(db: Session, claims: dict[str, Any]) -> Staff:
    """The member of staff these (verified) claims sign in as; creates or links on first sign-in."""
    oidc = settings()
    email = school_email(claims)
    identity = db.execute(select(SignInIdentity).where(SignInIdentity.issuer == oidc.issuer,
                                                       SignInIdentity.subject == str(claims["sub"]))
                          ).scalar_one_or_none()
    if identity is None:
        staff = db.execute(select(Staff).where(func.lower(Staff.name) == email)).scalar_one_or_none()
        if staff is None:
            staff = Staff(name=email, role="staff", token_hash=None, password_hash=None)
            db.add(staff)
            db.flush()
            audit.record(db, email, "staff.add", email, role="staff", via="school account, first sign-in")
        identity = SignInIdentity(staff_id=staff.id, issuer=oidc.issuer, subject=str(claims["sub"]), email=email)
        db.add(identity)
        audit.record(db, email, "signin.account_linked", staff.name, email=email)
    staff = identity.staff if identity.staff is not None else db.get(Staff, identity.staff_id)
    identity.email = email
    if not staff.active:
        raise SignInRefused("Your access to Second Look has been revoked: ask IT.", "staff_revoked")
    _apply_group_role(db, staff, claims)
    identity.last_signin_at = datetime.now(timezone.utc)
    return staff


def recheck(db: Session, staff: Staff, claims: dict[str, Any]) -> None:
    """At a device refresh: the fresh claims must still be this person, still at the school."""
    oidc = settings()
    school_email(claims)
    linked = db.execute(select(SignInIdentity.id).where(SignInIdentity.staff_id == staff.id,
                                                        SignInIdentity.issuer == oidc.issuer,
                                                        SignInIdentity.subject == str(claims.get("sub")))).first()
    if linked is None:
        raise SignInRefused("The sign-in service now names another account.", "subject_changed")
    _apply_group_role(db, staff, claims)
