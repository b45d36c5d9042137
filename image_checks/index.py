"""The no-publish list's face templates in one matrix, matched in one vectorised computation.

Every template (several per pupil) is a row of a float64 matrix; a face is compared with all of
them at once (squared distances from one matrix product), and the nearest template decides for
its pupil. Built by `server.nopublish.NoPublishState` whenever the list's version counter moves.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ENCODING_SIZE = 128
ENCODING_BYTES = ENCODING_SIZE * 8


def encoding_from_bytes(data: bytes) -> np.ndarray:
    """A stored template (128 float64, native byte order as `ndarray.tobytes` wrote it)."""
    if len(data) != ENCODING_BYTES:
        raise ValueError(f"a face template is {ENCODING_BYTES} bytes, got {len(data)}")
    return np.frombuffer(data, dtype=np.float64).copy()


@dataclass(frozen=True)
class Match:
    """The nearest enrolled pupil to one face, and how near."""

    distance: float
    pupil_id: int | None


class NoPublishIndex:
    """All enrolled templates; `pending_manual` counts listed pupils who have no templates.

    `pending_manual > 0` (consent to biometric processing withdrawn, so their templates were
    deleted) means an unmatched face on a school account cannot be cleared automatically.
    """

    def __init__(self, matrix: np.ndarray, pupil_ids: np.ndarray, pending_manual: int = 0) -> None:
        matrix = np.asarray(matrix, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        pupil_ids = np.asarray(pupil_ids, dtype=np.int64).reshape(-1)
        if len(matrix) != len(pupil_ids):
            raise ValueError("one pupil id per template")
        self.matrix = np.ascontiguousarray(matrix)
        self.pupil_ids = pupil_ids
        self.sq_norms = np.einsum("ij,ij->i", self.matrix, self.matrix)
        self.pending_manual = int(pending_manual)

    @classmethod
    def from_rows(cls, rows: list[tuple[int, bytes]], pending_manual: int = 0) -> "NoPublishIndex":
        """Build from (pupil_id, encoding bytes) rows as stored in `face_templates`."""
        if not rows:
            return cls(np.zeros((0, ENCODING_SIZE)), np.zeros(0, dtype=np.int64), pending_manual)
        matrix = np.vstack([encoding_from_bytes(bytes(enc)) for _, enc in rows])
        ids = np.array([pid for pid, _ in rows], dtype=np.int64)
        return cls(matrix, ids, pending_manual)

    def __len__(self) -> int:
        return len(self.matrix)

    @property
    def pupil_count(self) -> int:
        return int(len(np.unique(self.pupil_ids)))

    @property
    def empty(self) -> bool:
        return len(self.matrix) == 0

    def distances(self, encodings: np.ndarray) -> np.ndarray:
        """Euclidean distances, faces x templates, from one matrix product."""
        enc = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        sq = np.einsum("ij,ij->i", enc, enc)[:, None] + self.sq_norms[None, :] - 2.0 * (enc @ self.matrix.T)
        return np.sqrt(np.maximum(sq, 0.0))

    def nearest(self, encodings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each face: the distance to the nearest template and that template's pupil id.

        With an empty index every distance is +inf and every pupil id -1.
        """
        enc = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        if self.empty or len(enc) == 0:
            return np.full(len(enc), np.inf), np.full(len(enc), -1, dtype=np.int64)
        d = self.distances(enc)
        best = np.argmin(d, axis=1)
        rows = np.arange(len(enc))
        return d[rows, best], self.pupil_ids[best]

    def matches(self, encodings: np.ndarray) -> list[Match]:
        distances, ids = self.nearest(encodings)
        return [Match(float(d), int(p) if p >= 0 else None) for d, p in zip(distances, ids)]

    def near_duplicate(self, encoding: np.ndarray, pupil_id: int | None = None, threshold: float = 0.12) -> bool:
        """Whether `encoding` is nearly identical to a template already enrolled (for that pupil)."""
        if self.empty:
            return False
        d = self.distances(encoding)[0]
        if pupil_id is not None:
            d = d[self.pupil_ids == pupil_id]
        return bool(d.size and d.min() <= threshold)
