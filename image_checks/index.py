"""The no-publish list's face templates, matched in one vectorised computation per batch of faces.

Three networks' encodings per template, one score scale. The policy's `[faces] network` says
which matches; each pupil is scored by the first of its networks they have templates of:

* **SFace templates** (`image_checks.face_sface`, 128-d unit vectors; the default network since
  issue 19): distance from a face's SFace encoding to the pupil's unit centroid, as for ArcFace
  below, then `SFACE_SCALE * d + SFACE_SHIFT` so that the policy's thresholds keep their meaning.
  Measured (bench/face_quality.py --lfw, LFW people not in ../shared/faces, 120 enrolled from two
  photos each): 99.2 % of their other photos caught at 0.59 % false alarms, where the ArcFace
  network caught 97.7 % at 3.0 %; false alarms grow far less with the list's length.
* **ArcFace templates** (`image_checks.face_arc`, 512-d unit vectors; every photo enrolled since
  they exist has one). A pupil with any is scored by the distance from a face's ArcFace encoding
  to the pupil's *centroid*: the mean of their templates, scaled back to length 1. Measured
  (bench/face_quality.py --random-splits 100, LFW, 40 people enrolled from 2 photos each): 99.0 %
  of their other photos within 1.10 at 0.7 % false alarms (LFW's mislabelled photos left out);
  Rescaling the mean to length 1 measured alike to the plain mean (within 0.1 point at the same
  false alarms); it keeps a pupil's score on the same scale whether they have one photo or many.
* **dlib-only templates** (enrolled before the ArcFace network was added and not re-encoded from
  their thumbnails by `secondlook init-db`, e.g. no face found in the thumbnail). A pupil with only those is scored as before: distance to
  their dlib centroid, normalised against a background cohort (below), times `LEGACY_SCALE` so
  that dlib's calibrated thresholds (0.47 block, 0.49 warn) land on the ArcFace ones (1.06,
  1.10). Such pupils are matched less reliably (~97 % at 1.4 %): the admin pages say so, and a
  new photo of them adds an ArcFace and an SFace template.

dlib's cohort normalisation:

    score = |face - centroid| - offset(pupil)
    offset = clip(COHORT_WEIGHT * (nearness(pupil) - typical nearness), +-MAX_OFFSET)

where nearness is the mean distance from the centroid to its COHORT_NEIGHBOURS nearest cohort
faces: a pupil whose look is common gets a stricter score, one with an unusual look a looser one.
(Measured for dlib: the nearest template caught 92.1 / 94.9 % at <= 1 / 2 % false alarms, the
centroid 94.9 / 96.5 %, the centroid with the cohort and mirrored faces 96.6 / 97.5 %.) The cohort
(`face_cohort.npz` next to this module, built by tools/build_face_cohort.py) holds encodings only,
no photos or names. The ArcFace scores need no cohort: their false alarms are already below 2 %.

Per-pupil centroids and offsets are computed when the index is built
(`server.nopublish.NoPublishState` rebuilds it whenever the list's version counter moves).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from image_checks.face_arc import ARC_SIZE, arc_from_bytes, unit
from image_checks.face_sface import SFACE_SIZE, sface_from_bytes

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
#: dlib scores times this are on the ArcFace scale: dlib's thresholds 0.47 / 0.49 become 1.058 /
#: 1.103, next to the ArcFace network's own 1.06 / 1.10 (each calibrated on the same LFW splits).
LEGACY_SCALE = 2.25
#: SFace distances (0-2) are put on the same scale, so one pair of thresholds serves every network:
#: SFACE_SCALE * distance + SFACE_SHIFT takes SFace's calibrated 0.98 (block) and 1.05 (warn) to
#: 1.06 and 1.10 (docs/images.md, "SFace").
SFACE_SCALE = 0.04 / 0.07
SFACE_SHIFT = 1.06 - SFACE_SCALE * 0.98
#: The policy's `[faces] network` values: which network matches (see NoPublishIndex).
NETWORKS = ("sface", "arcface", "dlib")
DEFAULT_NETWORK = "sface"


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
    `matrix`/`pupil_ids` hold every template's dlib encoding (also used to spot the same photo
    enrolled twice); `arc_matrix`/`arc_ids` the ArcFace encodings of the templates that have one,
    `sface_matrix`/`sface_ids` the SFace encodings likewise.

    `network` is the policy's `[faces] network`, the network that matches: each pupil is scored by
    the first of its networks that they have templates of — "sface": SFace, then ArcFace, then
    dlib; "arcface": ArcFace, then dlib; "dlib": dlib only. Built for "arcface" unless asked;
    `for_network` gives the others.
    """

    def __init__(self, matrix: np.ndarray, pupil_ids: np.ndarray, pending_manual: int = 0,
                 cohort: Cohort | None = None, arc_matrix: np.ndarray | None = None,
                 arc_ids: np.ndarray | None = None, sface_matrix: np.ndarray | None = None,
                 sface_ids: np.ndarray | None = None, network: str = "arcface") -> None:
        matrix = np.asarray(matrix, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        pupil_ids = np.asarray(pupil_ids, dtype=np.int64).reshape(-1)
        if len(matrix) != len(pupil_ids):
            raise ValueError("one pupil id per template")
        if network not in NETWORKS:
            raise ValueError(f"network must be one of {', '.join(NETWORKS)}")
        self.matrix = np.ascontiguousarray(matrix)
        self.pupil_ids = pupil_ids
        self.sq_norms = np.einsum("ij,ij->i", self.matrix, self.matrix)
        self.pending_manual = int(pending_manual)
        self.cohort = cohort
        self.network = network
        self._inputs = (arc_matrix, arc_ids, sface_matrix, sface_ids)
        arc_matrix, arc_ids = _rows(arc_matrix, arc_ids, ARC_SIZE, "ArcFace")
        sface_matrix, sface_ids = _rows(sface_matrix, sface_ids, SFACE_SIZE, "SFace")
        taken = np.zeros(0, dtype=np.int64)
        # SFace: one unit centroid per pupil who has any SFace template (when it matches)
        if network != "sface":
            sface_matrix, sface_ids = sface_matrix[:0], sface_ids[:0]
        self.sface_pupils, self.sface_centroids = _unit_centroids(sface_matrix, sface_ids)
        taken = np.union1d(taken, self.sface_pupils)
        # ArcFace: likewise, for the pupils not scored by SFace
        if network == "dlib":
            arc_matrix, arc_ids = arc_matrix[:0], arc_ids[:0]
        keep = ~np.isin(arc_ids, taken)
        self.arc_pupils, self.arc_centroids = _unit_centroids(arc_matrix[keep], arc_ids[keep])
        taken = np.union1d(taken, self.arc_pupils)
        # dlib: centroids and cohort offsets of the pupils who have neither
        legacy = ~np.isin(pupil_ids, taken)
        self.pupils, self.centroids = _centroids(self.matrix[legacy], pupil_ids[legacy])
        self.centroid_sq = np.einsum("ij,ij->i", self.centroids, self.centroids)
        self.offsets = np.zeros(len(self.pupils))
        if cohort is not None and len(self.pupils):
            nearness = _nearness(self.centroids, cohort.encodings, COHORT_NEIGHBOURS)
            self.offsets = np.clip(COHORT_WEIGHT * (nearness - cohort.typical), -MAX_OFFSET, MAX_OFFSET)
        self._variants: dict[str, NoPublishIndex] = {network: self}

    @classmethod
    def from_rows(cls, rows: list[tuple], pending_manual: int = 0,
                  cohort: Cohort | None | object = _DEFAULT) -> "NoPublishIndex":
        """Build from (pupil_id, dlib encoding bytes[, ArcFace encoding bytes or None[, SFace
        encoding bytes or None]]) rows, as stored in `face_templates`. The shipped cohort
        normalises the dlib scores unless `cohort` is given (None: none)."""
        if cohort is _DEFAULT:
            cohort = default_cohort()
        if not rows:
            return cls(np.zeros((0, ENCODING_SIZE)), np.zeros(0, dtype=np.int64), pending_manual)
        matrix = np.vstack([encoding_from_bytes(bytes(row[1])) for row in rows])
        ids = np.array([row[0] for row in rows], dtype=np.int64)
        arc = [(row[0], arc_from_bytes(bytes(row[2]))) for row in rows if len(row) > 2 and row[2]]
        sface = [(row[0], sface_from_bytes(bytes(row[3]))) for row in rows if len(row) > 3 and row[3]]
        return cls(matrix, ids, pending_manual, cohort, *_stacked(arc), *_stacked(sface))

    def __len__(self) -> int:
        return len(self.matrix)

    def for_network(self, network: str) -> "NoPublishIndex":
        """The index as the policy's `[faces] network` matches (built once per index and network)."""
        variant = self._variants.get(network)
        if variant is None:
            variant = NoPublishIndex(self.matrix, self.pupil_ids, self.pending_manual, self.cohort,
                                     *self._inputs, network=network)
            variant._variants = self._variants
            self._variants[network] = variant
        return variant

    @property
    def pupil_count(self) -> int:
        return len(self.pupils) + len(self.arc_pupils) + len(self.sface_pupils)

    @property
    def empty(self) -> bool:
        return len(self.matrix) == 0

    @property
    def needs_dlib(self) -> bool:
        """Whether some pupil has dlib-only templates (then faces need dlib encodings too)."""
        return len(self.pupils) > 0

    @property
    def needs_arc(self) -> bool:
        """Whether some pupil is scored by the ArcFace network (then faces need its encodings)."""
        return len(self.arc_pupils) > 0 or self.network == "arcface"

    @property
    def needs_sface(self) -> bool:
        return self.network == "sface"

    def distances(self, encodings: np.ndarray) -> np.ndarray:
        """Plain dlib distances, faces x templates (for spotting the same photo twice)."""
        enc = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        return np.sqrt(_sq_distances(enc, self.matrix, self.sq_norms))

    def scores(self, encodings: np.ndarray) -> np.ndarray:
        """Normalised dlib distances, faces x dlib-only pupils (columns in the order of `self.pupils`)."""
        enc = np.asarray(encodings, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        return np.sqrt(_sq_distances(enc, self.centroids, self.centroid_sq)) - self.offsets[None, :]

    def arc_scores(self, arc_encodings: np.ndarray) -> np.ndarray:
        """ArcFace distances, faces x pupils scored by ArcFace (order of `self.arc_pupils`)."""
        return _unit_distances(arc_encodings, self.arc_centroids, ARC_SIZE)

    def sface_scores(self, sface_encodings: np.ndarray) -> np.ndarray:
        """SFace distances on the ArcFace scale (`SFACE_SCALE`, `SFACE_SHIFT`), faces x pupils
        scored by SFace (order of `self.sface_pupils`)."""
        return SFACE_SCALE * _unit_distances(sface_encodings, self.sface_centroids, SFACE_SIZE) + SFACE_SHIFT

    def nearest(self, arc_encodings: np.ndarray | None = None, dlib_encodings: np.ndarray | None = None,
                sface_encodings: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """For each face: the lowest score (ArcFace scale) for any pupil, and that pupil's id.

        The same faces in the same order in each network's encodings; a network's are needed only
        when some pupil is scored by it (`needs_sface`, `needs_arc`, `needs_dlib`). With an empty
        index every score is +inf and every pupil id -1.
        """
        given = [e for e in (sface_encodings, arc_encodings, dlib_encodings) if e is not None]
        n = len(given[0]) if given else 0
        best = np.full(n, np.inf)
        who = np.full(n, -1, dtype=np.int64)
        if n == 0:
            return best, who
        tiers = ((self.sface_pupils, sface_encodings, self.sface_scores, "SFace"),
                 (self.arc_pupils, arc_encodings, self.arc_scores, "ArcFace"),
                 (self.pupils, dlib_encodings, lambda e: self.scores(e) * LEGACY_SCALE, "dlib"))
        for pupils, encodings, score, name in tiers:
            if not len(pupils):
                continue
            if encodings is None:
                raise ValueError(f"some pupils are scored by the {name} network: pass the faces' {name} encodings too")
            scores = score(encodings)
            column = np.argmin(scores, axis=1)
            value = scores[np.arange(n), column]
            better = value < best
            best[better] = value[better]
            who[better] = pupils[column[better]]
        return best, who

    def matches(self, arc_encodings: np.ndarray | None = None, dlib_encodings: np.ndarray | None = None,
                sface_encodings: np.ndarray | None = None) -> list[Match]:
        distances, ids = self.nearest(arc_encodings, dlib_encodings, sface_encodings)
        return [Match(float(d), int(p) if p >= 0 else None) for d, p in zip(distances, ids)]

    def near_duplicate(self, encoding: np.ndarray, pupil_id: int | None = None, threshold: float = 0.12) -> bool:
        """Whether a dlib `encoding` is nearly identical to a template already enrolled (for that pupil)."""
        if self.empty:
            return False
        d = self.distances(encoding)[0]
        if pupil_id is not None:
            d = d[self.pupil_ids == pupil_id]
        return bool(d.size and d.min() <= threshold)


def _rows(matrix: np.ndarray | None, ids: np.ndarray | None, size: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    matrix = np.zeros((0, size)) if matrix is None else np.asarray(matrix, dtype=np.float64).reshape(-1, size)
    ids = np.zeros(0, dtype=np.int64) if ids is None else np.asarray(ids, dtype=np.int64).reshape(-1)
    if len(matrix) != len(ids):
        raise ValueError(f"one pupil id per {name} template")
    return matrix, ids


def _stacked(rows: list[tuple[int, np.ndarray]]) -> tuple[np.ndarray | None, np.ndarray | None]:
    if not rows:
        return None, None
    return np.vstack([v for _, v in rows]), np.array([pid for pid, _ in rows], dtype=np.int64)


def _unit_centroids(matrix: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ids and each one's mean row scaled to length 1 (float32: half the memory
    traffic of the one matrix product a batch of faces costs)."""
    pupils, centroids = _centroids(matrix, ids)
    return pupils, np.ascontiguousarray(unit(centroids), dtype=np.float32)


def _unit_distances(encodings: np.ndarray, centroids: np.ndarray, size: int) -> np.ndarray:
    """Distances from unit encodings to unit centroids: |a - b|^2 = 2 - 2 a.b, one matrix product."""
    enc = unit(np.asarray(encodings, dtype=np.float64).reshape(-1, size)).astype(np.float32)
    return np.sqrt(np.maximum(2.0 - 2.0 * (enc @ centroids.T).astype(np.float64), 0.0))


def _centroids(matrix: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ids (sorted) and the mean row of each."""
    pupils, slot = np.unique(ids, return_inverse=True)
    sums = np.zeros((len(pupils), matrix.shape[1]))
    np.add.at(sums, slot, matrix)
    return pupils, sums / np.maximum(np.bincount(slot, minlength=len(pupils)), 1)[:, None]
