"""What the checks need from the no-publish list, as typing Protocols.

The text checks' `NoPublishNames` and the image checks' `NoPublishIndex` satisfy these (a test
checks it); the server depends on the Protocols, not on the classes, so either side can change
its insides freely.
"""
from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class NameMatcher(Protocol):
    """Finds listed pupils' names (and their usual variants) in a draft."""

    def __len__(self) -> int: ...

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, pupil id) of every listed name in `text`."""
        ...


@runtime_checkable
class FaceIndex(Protocol):
    """The listed pupils' face templates, searched for the faces found in an image."""

    pending_manual: int

    def __len__(self) -> int: ...

    @property
    def needs_dlib(self) -> bool: ...

    def nearest(self, arc_encodings: Any = None, dlib_encodings: Any = None,
                sface_encodings: Any = None) -> tuple[Any, Any]:
        """Per face, the best score against the list and whose it was."""
        ...

    def near_duplicate(self, encoding: Any, pupil_id: int | None = None, threshold: float = 0.12) -> bool: ...
