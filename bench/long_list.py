"""Recognition as the no-publish list grows (40, 120, 250 pupils), on LFW people who are NOT in
../shared/faces (figures printed, never asserted). Run through bench/face_quality.py:

    .venv/bin/python bench/face_quality.py --list-sizes 40,120,250 --lfw DIR --only-list-sizes

`DIR` is a full copy of Labeled Faces in the Wild (one folder per person, 13,233 photos of 5,749
people; University of Massachusetts Amherst, for research use). None of it is committed: fetch it,
e.g. the `lfw/` folder of a public repository that holds the whole set, into /tmp.

Protocol (deterministic: one seed per list size and draw). The pool is every person with >= 3
photos who is not in ../shared/faces; the strangers are one photo of each of `STRANGERS` people
with a single photo (also not in ../shared/faces) plus one photo of every pool person not
enrolled in that draw. A draw enrols `size` pool people from their first 2 photos that enrolment
accepts (as IT would; `--templates` for more), in a random order of their photos; up to
`PROBES_PER_PUPIL` of their other photos are the probes that must be caught.

Every photo is analysed once, as a draft check would (the central face found by the policy's
finder, its ArcFace encoding with its mirror image), and cached in $TMPDIR (`CACHE`); a photo is
enrolment-grade when enrolment would accept that face (>= enrol_min_face_px wide, quality ok).
"""
from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from image_checks.analyse import encode_faces, face_settings
from image_checks.encoder import encode_chips
from image_checks.decode import decode
from image_checks.face_arc import ARC_SIZE, encode_arc
from image_checks.face_detection import find_faces
from image_checks.face_sface import SFACE_SIZE, encode_sface

CACHE = Path(tempfile.gettempdir()) / "secondlook-bench"
STRANGERS = 1000
PROBES_PER_PUPIL = 3
#: LFW photos put the labelled person's face at the centre: a face farther than this from it is
#: someone else's.
CENTRE_PX = 40


@dataclass
class Photo:
    path: Path
    arc: np.ndarray  # nan when no central face was found (a probe then counts as missed)
    enrolable: bool
    width: int
    sharpness: float
    yaw: float
    score: float


class PhotoCache:
    """Per-photo analysis, kept on disk between runs (one file per policy's face settings)."""

    def __init__(self, policy, root: Path) -> None:  # noqa: ANN001
        self.policy, self.root = policy, root
        CACHE.mkdir(exist_ok=True)
        key = hashlib.sha256(repr(sorted(policy.face_settings.items())).encode()).hexdigest()[:10]
        self.file = CACHE / f"long-list-{key}.npz"
        self.store: dict[str, np.ndarray] = dict(np.load(self.file)) if self.file.exists() else {}
        self.dirty = 0
        self.enrol_min = int(policy.face_settings.get("enrol_min_face_px", 80))

    def save(self) -> None:
        if self.dirty:
            np.savez(self.file, **self.store)
            self.dirty = 0

    def _compute(self, path: Path) -> np.ndarray:
        """The ArcFace row; SFace's encoding of the same face is stored too while its crop is at
        hand (finding the face is most of the cost: `sface` would find it again)."""
        row = np.full(ARC_SIZE + 5, np.nan)
        f = self._central(path)
        self.store.setdefault("sface:" + str(path.relative_to(self.root)),
                              np.full(SFACE_SIZE, np.nan) if f is None else encode_sface([f.arc_chip])[0])
        if f is None:
            return row
        enrolable = f.width >= self.enrol_min and f.quality == "ok" and f.chip is not None
        row[:ARC_SIZE] = encode_arc([f.arc_chip])[0]
        row[ARC_SIZE:] = [float(enrolable), f.width, f.sharpness, f.yaw, f.score]
        return row

    def dlib(self, path: Path) -> np.ndarray:
        """dlib's encodings of the same central face: as enrolment makes a template (`enrol_jitters`
        jitters) and as a draft check encodes a face (face + mirror), 256 numbers (nan: no face)."""
        key = "dlib:" + str(path.relative_to(self.root))
        if key not in self.store:
            row = np.full(256, np.nan)
            rgb = decode(path.read_bytes()).rgb
            faces = [f for f in find_faces(rgb, face_settings(self.policy)) if f.chip is not None]
            if faces:
                h, w = rgb.shape[:2]
                f = min(faces, key=lambda f: max(abs((f.box[1] + f.box[3]) / 2 - w / 2),
                                                 abs((f.box[0] + f.box[2]) / 2 - h / 2)))
                jitters = int(self.policy.face_settings.get("enrol_jitters", 10))
                row[:128] = encode_chips([f.chip], jitters)[0]
                row[128:] = encode_faces([f.chip])[0]
            self.store[key] = row
            self.dirty += 1
            if self.dirty >= 200:
                self.save()
        return self.store[key]

    def sface(self, path: Path) -> np.ndarray:
        """SFace's encoding of the same central face, as a draft check encodes it (128 numbers; nan:
        no face). Also what enrolment stores, which encodes the same aligned crop."""
        key = "sface:" + str(path.relative_to(self.root))
        if key not in self.store:
            row = np.full(SFACE_SIZE, np.nan)
            face = self._central(path)
            if face is not None:
                row[:] = encode_sface([face.arc_chip])[0]
            self.store[key] = row
            self.dirty += 1
            if self.dirty >= 200:
                self.save()
        return self.store[key]

    def _central(self, path: Path):  # noqa: ANN202
        """The face at the photo's centre that has an aligned crop (None: none within CENTRE_PX)."""
        rgb = decode(path.read_bytes()).rgb
        faces = [f for f in find_faces(rgb, face_settings(self.policy)) if f.arc_chip is not None]
        if not faces:
            return None
        h, w = rgb.shape[:2]
        offsets = [max(abs((f.box[1] + f.box[3]) / 2 - w / 2), abs((f.box[0] + f.box[2]) / 2 - h / 2)) for f in faces]
        best = int(np.argmin(offsets))
        return faces[best] if offsets[best] <= CENTRE_PX else None

    def get(self, path: Path) -> Photo:
        key = str(path.relative_to(self.root))
        if key not in self.store:
            self.store[key] = self._compute(path)
            self.dirty += 1
            if self.dirty >= 200:
                self.save()
        row = self.store[key]
        extra = np.nan_to_num(row[ARC_SIZE:])
        return Photo(path, row[:ARC_SIZE], bool(extra[0]), int(extra[1]), *map(float, extra[2:]))


def lfw_outside_shared(root: Path, shared: Path) -> dict[str, list[Path]]:
    """Every person of the LFW copy at `root` who is not in the shared LFW folder, sorted by name."""
    known = {p.name for p in shared.iterdir()} if shared.exists() else set()
    people = {}
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and folder.name not in known:
            photos = sorted(folder.glob("*.jpg"))
            if photos:
                people[folder.name] = photos
    return people


@dataclass
class Draw:
    """One random list: per enrolled pupil their template encodings (and the photos' quality),
    the probes (pupil number, encoding) and the strangers' encodings."""

    templates: list[list[Photo]]
    probes: list[tuple[int, Photo]]
    strangers: np.ndarray
    stranger_paths: list[Path]


def draws(people: dict[str, list[Path]], cache: PhotoCache, size: int, repeats: int, templates: int = 2,
          log=print) -> list[Draw]:  # noqa: ANN001
    names = sorted(people)
    pool = [n for n in names if len(people[n]) >= 3]
    singles = [n for n in names if len(people[n]) == 1]
    fixed = np.random.default_rng(0).choice(singles, min(STRANGERS, len(singles)), replace=False)
    out, t0 = [], time.perf_counter()
    for r in range(repeats):
        rng = np.random.default_rng(1000 * size + r)
        chosen = [str(n) for n in rng.choice(pool, min(size, len(pool)), replace=False)]
        tpl, probes = [], []
        for pupil, name in enumerate(chosen):
            accepted, others = [], []
            for path in rng.permutation(people[name]):  # analysed only as far as needed
                photo = cache.get(path)
                if photo.enrolable and len(accepted) < templates:
                    accepted.append(photo)
                elif len(others) < PROBES_PER_PUPIL:
                    others.append(photo)
                if len(accepted) == templates and len(others) == PROBES_PER_PUPIL:
                    break
            tpl.append(accepted)
            probes += [(pupil, p) for p in others]
        rest = sorted(set(pool) - set(chosen))
        stranger_paths = [people[n][0] for n in list(fixed) + rest]
        out.append(Draw(tpl, probes, np.array([cache.get(p).arc for p in stranger_paths]), stranger_paths))
        cache.save()
        log(f"    (draw {r + 1}/{repeats} of {size}: {time.perf_counter() - t0:.0f} s so far)")
    return out


# --- Levers: each scores faces against a draw's list (faces x pupils, higher = more alike) ----------

def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def _centroids(draw: Draw, weight=None) -> np.ndarray:  # noqa: ANN001
    rows = []
    for photos in draw.templates:
        w = np.ones(len(photos)) if weight is None else np.array([weight(p) for p in photos])
        rows.append((np.array([p.arc for p in photos]) * w[:, None]).sum(0) if photos else np.zeros(ARC_SIZE))
    return _unit(np.array(rows))


def centroid(draw: Draw, faces: np.ndarray) -> np.ndarray:
    """What image_checks.index does: cosine to the mean of the pupil's templates."""
    return _unit(faces) @ _centroids(draw).T


def nearest_template(draw: Draw, faces: np.ndarray) -> np.ndarray:
    """Cosine to the pupil's closest template."""
    sims = _unit(faces) @ np.array([p.arc for photos in draw.templates for p in photos]).T
    owner = np.array([i for i, photos in enumerate(draw.templates) for _ in photos])
    out = np.full((len(faces), len(draw.templates)), -1.0)
    for pupil in np.unique(owner):
        out[:, pupil] = sims[:, owner == pupil].max(1)
    return out


def quality_weighted(draw: Draw, faces: np.ndarray) -> np.ndarray:
    """Centroid with sharper templates weighted more (0.5 + sharpness / 300, capped at 1.5)."""
    return _unit(faces) @ _centroids(draw, lambda p: 0.5 + min(p.sharpness, 300.0) / 300.0).T


def list_cohort_offset(draw: Draw, faces: np.ndarray, k: int = 5, weight: float = 0.5) -> np.ndarray:
    """Cohort normalisation with the list itself as the cohort (nothing shipped): a pupil whose
    centroid is near other pupils' (a common look) is scored stricter, an unusual one looser."""
    c = _centroids(draw)
    near = c @ c.T
    np.fill_diagonal(near, -np.inf)
    nearness = -np.sort(-near, axis=1)[:, :min(k, len(c) - 1)].mean(1)
    return _unit(faces) @ c.T - weight * (nearness - np.median(nearness))[None, :]


def list_znorm(draw: Draw, faces: np.ndarray, k: int = 50) -> np.ndarray:
    """Per-pupil z-norm against the pupil's k nearest other pupils (per-pupil thresholds)."""
    c = _centroids(draw)
    near = c @ c.T
    np.fill_diagonal(near, -np.inf)
    top = -np.sort(-near, axis=1)[:, :min(k, len(c) - 1)]
    return (_unit(faces) @ c.T - top.mean(1)[None, :]) / (top.std(1)[None, :] + 1e-3)


def gallery_tnorm(draw: Draw, faces: np.ndarray, k: int = 20) -> np.ndarray:
    """Test-time normalisation over the list: the best cosine minus the mean of the next k (a face
    that resembles many pupils is discounted)."""
    sims = centroid(draw, faces)
    order = -np.sort(-sims, axis=1)[:, 1:k + 1]
    return sims - order.mean(1, keepdims=True)


LEVERS = {"centroid (as now)": centroid, "nearest template": nearest_template,
          "quality-weighted centroid": quality_weighted, "cohort offset, list as cohort": list_cohort_offset,
          "per-pupil z-norm (k 50)": list_znorm, "gallery t-norm (k 20)": gallery_tnorm}


def fused_with_dlib(draw: Draw, cache: PhotoCache, dlib_weight: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Both networks on the same faces (a lever not shipped: the route to the 1 % target, measured):
    per pupil, the ArcFace cosine to the centroid and dlib's (templates as enrolment makes them,
    faces as a draft check encodes them), each turned into a z-score against the strangers' best
    scores of this draw, then summed. Best fused score per probe and per LFW stranger."""
    arc_c = _centroids(draw)
    dlib_c = _unit(np.array([_unit(np.array([cache.dlib(p.path)[:128] for p in photos])).mean(0) if photos
                             else np.zeros(128) for photos in draw.templates]))

    def both(items: list[tuple[Path, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        arc = np.array([a for _, a in items])
        dl = np.array([cache.dlib(path)[128:] for path, _ in items])
        sa = np.full((len(items), len(draw.templates)), -1.0)
        sd = sa.copy()
        ok = ~np.isnan(arc).any(1)
        sa[ok] = _unit(arc[ok]) @ arc_c.T
        ok = ~np.isnan(dl).any(1)
        sd[ok] = _unit(dl[ok]) @ dlib_c.T
        return sa, sd

    pa, pd = both([(p.path, p.arc) for _, p in draw.probes])
    sa, sd = both(list(zip(draw.stranger_paths, draw.strangers[:len(draw.stranger_paths)])))
    (ma, va), (md, vd) = [(s.max(1).mean(), s.max(1).std()) for s in (sa, sd)]
    fused = [(a - ma) / va + dlib_weight * (d - md) / vd for a, d in ((pa, pd), (sa, sd))]
    return fused[0].max(1), fused[1].max(1)


def lever_scores(lever, draw: Draw) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """Best score per probe and per stranger (-inf where no face was found)."""
    out = []
    for faces in (np.array([p.arc for _, p in draw.probes]), draw.strangers):
        ok = ~np.isnan(faces).any(1)
        best = np.full(len(faces), -np.inf)
        if ok.any():
            best[ok] = lever(draw, faces[ok]).max(1)
        out.append(best)
    return out[0], out[1]


def caught_at(probes: np.ndarray, strangers: np.ndarray, false_alarms: float) -> float:
    """Share of probes caught at the threshold that lets `false_alarms` of the strangers through."""
    return float((probes > np.quantile(strangers, 1 - false_alarms)).mean())
