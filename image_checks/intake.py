"""First look at an upload: what it really is, by content (python-magic), never by its name."""
from __future__ import annotations

import magic

#: Types the image checks can read, by sniffed MIME type.
ACCEPTED_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


class IntakeError(ValueError):
    """An upload that cannot be checked; `code` is the API error code, `reason` is for people."""

    def __init__(self, code: str, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.index = index  # which upload (set by the image checks; the API names it images.N)

    @property
    def status(self) -> int:
        """The HTTP status the API answers with."""
        return {"unsupported_media_type": 415, "payload_too_large": 413}.get(self.code, 422)


def sniff(data: bytes) -> str:
    """The MIME type libmagic sees in the first bytes of `data`."""
    return magic.from_buffer(data[:8192], mime=True)


def check_upload(data: bytes, max_bytes: int) -> str:
    """Refuse empty, oversize and non-image uploads; return the sniffed type of an accepted one."""
    if not data:
        raise IntakeError("invalid_request", "the file is empty")
    if len(data) > max_bytes:
        raise IntakeError("payload_too_large", f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    kind = sniff(data)
    if kind not in ACCEPTED_TYPES:
        raise IntakeError("unsupported_media_type", f"not a JPEG, PNG, WebP or GIF image (looks like {kind})")
    return kind
