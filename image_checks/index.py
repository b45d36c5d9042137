"""The no-publish list's face templates, matched in one vectorised computation per batch of faces.

Each pupil is represented by the mean of their templates (their *centroid*), and a face's score
for a pupil is its distance to that centroid, normalised against a background cohort of faces
of people who are not on any list:

    score = |face - centroid| - offset(pupil)
    offset = clip(COHORT_WEIGHT * (nearness(pupil) - typical nearness), +-MAX_OFFSET)

where nearness is the mean distance from the centroid to its COHORT_NEIGHBOURS nearest cohort
faces. A pupil whose look is common (many cohort faces close by) gets a stricter score, one with
an unusual look a looser one: one global threshold then means about the same false-alarm rate for
every pupil. Why (bench/face_quality.py's protocol, LFW, 40 people enrolled from 2 photos each,
100 random splits, threshold set for <= 1 % / <= 2 % false alarms): the nearest template caught
92.1 / 94.9 % of the other photos, the centroid 94.9 / 96.5 %, the centroid with the cohort and
mirrored faces (image_checks.analyse.encode_faces) 96.6 / 97.5 % (with the face detector of
76d7db1; with 77289a2's, 91.4 / 94.3 % before and 95.6 / 96.9 % now). Scores stay on the distance
scale (offsets are centred on the cohort's typical nearness), so the thresholds read like
distances and, without a cohort file, the index still works (centroid only, offsets 0).

The cohort (`face_cohort.npz` next to this module, built by tools/build_face_cohort.py) holds
encodings only, no photos or names. Per-pupil centroids and offsets are computed when the index
is built (`server.nopublish.NoPublishState` rebuilds it whenever the list's version counter
moves), so nothing more is stored per pupil.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ENCODING_SIZE = 128
ENCODING_BYTES = ENCODING_SIZE * 8
COHORT_FILE = Path(__file__).with_name("face_cohort.npz")
#: How many of the nearest cohort faces measure how common a pupil's look is (3-10 measured alike).
COHORT_NEIGHBOURS = 5
#: How much of the difference from the typical nearness is taken off (0.2-0.5 measured alike; 1.0 worse).
COHORT_WEIGHT = 0.4
#: Bound on the offset either way (LFW pupils measured within +-0.045): a pupil unlike every
#: cohort face — e.g. a child against an adult cohort — is never loosened or tightened further.
MAX_OFFSET = 0.05


def encoding_from_bytes(data: bytes) -> np.ndarray:
    """A stored template (128 float64, native byte order as `ndarray.tobytes` wrote it)."""
    if len(data) != ENCODING_BYTES:
        raise ValueError(f"a face template is {ENCODING_BYTES} bytes, got {len(data)}")
    return np.frombuffer(data, dtype=np.float64).copy()


def _sq_distances(a: np.ndarray, b: np.ndarray, b_sq: np.ndarray | None = None) -> np.ndarray:
    """Squared Euclidean distances, rows of a x rows of b, from one matrix product."""
    a_sq = np.einsum("ij,ij->i", a, a)
    if b_sq is None:
        b_sq = np.einsum("ij,ij->i", b, b)
    return np.maximum(a_sq[:, None] + b_sq[None, :] - 2.0 * (a @ b.T), 0.0)


def _nearness(points: np.ndarray, faces: np.ndarray, k: int) -> np.ndarray:
    """Mean distance from each point to its k nearest faces."""
    k = min(k, len(faces))
    sq = _sq_distances(points, faces)
    return np.sqrt(np.partition(sq, k - 1, axis=1)[:, :k]).mean(axis=1)


@dataclass(frozen=True)
class Cohort:
    """Encodings of faces of people on no list (several photos each), and their typical nearness.

    `typical` is the median, over the cohort's own people, of the nearness of a centroid of two of
    their photos to the *other* people's faces: what an enrolled pupil's nearness usually is.
    """

    encodings: np.ndarray
    typical: float

    @classmethod
    def from_people(cls, encodings: np.ndarray, person: np.ndarray, k: int = COHORT_NEIGHBOURS) -> "Cohort":
        encodings = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        person = np.asarray(person).reshape(-1)
        nearness = []
        for who in np.unique(person):
            own = encodings[person == who]
            if len(own) >= 2:
                nearness.append(_nearness(own[:2].mean(axis=0)[None, :], encodings[person != who], k)[0])
        if not nearness:
            raise ValueError("a cohort needs people with two or more faces")
        return cls(encodings, float(np.median(nearness)))

    @classmethod
    def load(cls, path: Path = COHORT_FILE) -> "Cohort":
        with np.load(path) as data:
            return cls.from_people(data["encodings"], data["person"])


@lru_cache(maxsize=1)
def default_cohort() -> Cohort | None:
    """The shipped cohort, or None when the file is absent (then no normalisation)."""
    return Cohort.load() if COHORT_FILE.exists() else None


_DEFAULT = object()


@dataclass(frozen=True)
class Match:
    """The nearest enrolled pupil to one face, and its (normalised) distance."""

    distance: float
    pupil_id: int | None


class NoPublishIndex:
    """All enrolled templates; `pending_manual` counts listed pupils who have no templates.

    `pending_manual > 0` (consent to biometric processing withdrawn, so their templates were
    deleted) means an unmatched face on a school account cannot be cleared automatically.
    """

    def __init__(self, matrix: np.ndarray, pupil_ids: np.ndarray, pending_manual: int = 0,
                 cohort: Cohort | None = None) -> None:
        matrix = np.asarray(matrix, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        pupil_ids = np.asarray(pupil_ids, dtype=np.int64).reshape(-1)
        if len(matrix) != len(pupil_ids):
            raise ValueError("one pupil id per template")
        self.matrix = np.ascontiguousarray(matrix)
        self.pupil_ids = pupil_ids
        self.sq_norms = np.einsum("ij,ij->i", self.matrix, self.matrix)
        self.pending_manual = int(pending_manual)
        # one row per pupil: the mean of their templates, and their cohort offset
        self.pupils, slot = np.unique(pupil_ids, return_inverse=True)
        sums = np.zeros((len(self.pupils), ENCODING_SIZE))
        np.add.at(sums, slot, self.matrix)
        self.centroids = sums / np.bincount(slot, minlength=len(self.pupils))[:, None]
        self.centroid_sq = np.einsum("ij,ij->i", self.centroids, self.centroids)
        self.offsets = np.zeros(len(self.pupils))
        if cohort is not None and len(self.pupils):
            nearness = _nearness(self.centroids, cohort.encodings, COHORT_NEIGHBOURS)
            self.offsets = np.clip(COHORT_WEIGHT * (nearness - cohort.typical), -MAX_OFFSET, MAX_OFFSET)

    @classmethod
    def from_rows(cls, rows: list[tuple[int, bytes]], pending_manual: int = 0,
                  cohort: Cohort | None | object = _DEFAULT) -> "NoPublishIndex":
        """Build from (pupil_id, encoding bytes) rows as stored in `face_templates`.

        The shipped cohort normalises the scores unless `cohort` is given (None: none).
        """
        if cohort is _DEFAULT:
            cohort = default_cohort()
        if not rows:
            return cls(np.zeros((0, ENCODING_SIZE)), np.zeros(0, dtype=np.int64), pending_manual)
        matrix = np.vstack([encoding_from_bytes(bytes(enc)) for _, enc in rows])
        ids = np.array([pid for pid, _ in rows], dtype=np.int64)
        return cls(matrix, ids, pending_manual, cohort)

    def __len__(self) -> int:
        return len(self.matrix)

    @property
    def pupil_count(self) -> int:
        return len(self.pupils)

    @property
    def empty(self) -> bool:
        return len(self.matrix) == 0

    def distances(self, encodings: np.ndarray) -> np.ndarray:
        """Plain Euclidean distances, faces x templates (for spotting the same photo twice)."""
        enc = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        return np.sqrt(_sq_distances(enc, self.matrix, self.sq_norms))

    def scores(self, encodings: np.ndarray) -> np.ndarray:
        """Normalised distances, faces x pupils (columns in the order of `self.pupils`)."""
        enc = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        return np.sqrt(_sq_distances(enc, self.centroids, self.centroid_sq)) - self.offsets[None, :]

    def nearest(self, encodings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each face: the lowest normalised distance to any pupil, and that pupil's id.

        With an empty index every distance is +inf and every pupil id -1.
        """
        enc = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        if self.empty or len(enc) == 0:
            return np.full(len(enc), np.inf), np.full(len(enc), -1, dtype=np.int64)
        s = self.scores(enc)
        best = np.argmin(s, axis=1)
        return s[np.arange(len(enc)), best], self.pupils[best]

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
