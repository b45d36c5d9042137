"""The school's sign-in settings, read once from the app config (SECONDLOOK_OIDC_* in the environment)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qsl

from server.models import ROLES

#: Chrome extension ids are 32 letters a-p.
EXTENSION_ID = re.compile(r"^[a-p]{32}$")


class SignInConfigError(ValueError):
    """The OIDC settings cannot work as given (raised at start-up, with what to fix)."""


def _words(value: str | None) -> list[str]:
    return [w for w in re.split(r"[\s,]+", value or "") if w]


@dataclass(frozen=True)
class OidcSettings:
    issuer: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    allowed_domains: tuple[str, ...] = ()
    tenant_id: str | None = None
    scopes: str = "openid email profile"
    auth_params: dict[str, str] = field(default_factory=dict)
    groups_claim: str = "groups"
    group_roles: dict[str, str] = field(default_factory=dict)
    extension_ids: tuple[str, ...] = ()
    timeout: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.issuer)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "OidcSettings":
        issuer = (config.get("OIDC_ISSUER") or "").strip().rstrip("/") or None
        group_roles = {}
        for pair in _words(config.get("OIDC_GROUP_ROLES")):
            group, _, role = pair.rpartition("=")
            if not group or role not in ROLES:
                raise SignInConfigError(f"OIDC_GROUP_ROLES: {pair!r} is not group=role with a role in {ROLES}")
            group_roles[group] = role
        settings = cls(
            issuer=issuer,
            client_id=config.get("OIDC_CLIENT_ID") or None,
            client_secret=config.get("OIDC_CLIENT_SECRET") or None,
            allowed_domains=tuple(d.lower().lstrip("@") for d in _words(config.get("OIDC_ALLOWED_DOMAINS"))),
            tenant_id=(config.get("OIDC_TENANT_ID") or "").strip() or None,
            scopes=" ".join(_words(config.get("OIDC_SCOPES") or "openid email profile")),
            auth_params=dict(parse_qsl(config.get("OIDC_AUTH_PARAMS") or "")),
            groups_claim=config.get("OIDC_GROUPS_CLAIM") or "groups",
            group_roles=group_roles,
            extension_ids=tuple(_words(config.get("OIDC_EXTENSION_IDS"))),
            timeout=float(config.get("OIDC_TIMEOUT_SECONDS") or 10),
        )
        if settings.enabled:
            settings.validate()
        return settings

    def validate(self) -> None:
        missing = [name for name, value in (("OIDC_CLIENT_ID", self.client_id),
                                            ("OIDC_CLIENT_SECRET", self.client_secret)) if not value]
        if missing:
            raise SignInConfigError(f"OIDC_ISSUER is set but {' and '.join(missing)} not")
        if not self.allowed_domains and not self.tenant_id:
            raise SignInConfigError("OIDC_ISSUER is set: also set OIDC_ALLOWED_DOMAINS or OIDC_TENANT_ID, "
                                    "or anyone with an account at the provider could sign in")
        if "openid" not in self.scopes.split():
            raise SignInConfigError("OIDC_SCOPES must include openid")
        for ext in self.extension_ids:
            if not EXTENSION_ID.match(ext):
                raise SignInConfigError(f"OIDC_EXTENSION_IDS: {ext!r} is not a Chrome extension id")

    def extension_allowed(self, extension_id: str) -> bool:
        if not EXTENSION_ID.match(extension_id or ""):
            return False
        return not self.extension_ids or extension_id in self.extension_ids
