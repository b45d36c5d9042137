"""How well faces are recognised, on the real photos in ../shared/faces (figures printed, never asserted).

    .venv/bin/python bench/face_quality.py [--no-groups] [--no-plain-groups]
    .venv/bin/python bench/face_quality.py --lfw DIR --list-sizes 40,120,250 --only-list-sizes
        [--templates 3] [--landmarks 5|68] [--template-landmarks 68] [--network sface|arcface|dlib] [--fusion]

`--lfw DIR` (a full LFW copy, not committed): recognition as the list grows, on LFW people who are
not in ../shared/faces, with each lever side by side (bench/long_list.py).

LFW roles (deterministic, people sorted by name; no person has two roles in one split):
* split A / split B: 40 people each with >= 4 photos (every third such person, from the first /
  second); their first 2 photos that enrolment accepts are enrolled as the admin pages do
  (`enrol_photo`; a refused photo is replaced by the next, as IT would), their other photos —
  refused ones included — are the probes that must be caught;
* cohort: the 35 people with 2 or 3 photos — the background faces shipped in
  image_checks/face_cohort.npz (tools/build_face_cohort.py), used only for normalisation;
* strangers: one photo each of everybody else (the 120 people with one photo, the people with
  >= 4 photos in neither split) plus, for split A, split B's people and vice versa.
Then the same on the deepface and face_recognition folders (other photo sources and sizes), with
LFW's strangers. Then split A again with every face composited small into class photos.

"caught" = the photo gets no-publish-face (block) or possible-no-publish-face (warn);
"false alarm" = a stranger's photo gets either. Side by side, on the same photos: the matcher
before issue-5 work (nearest dlib template, one encoding per face, thresholds 0.48 / 0.52),
dlib's network as the previous version used it (pupil centroid, cohort offset, face and mirror
image averaged; 0.47 / 0.49 — still how pupils enrolled before the ArcFace network are matched),
the ArcFace network (image_checks.index on its encodings, the policy's thresholds; the default
before issue 19's SFace), SFace (the default network: the same index on SFace's encodings and
thresholds), and the plain face_recognition recipe (`face_locations`, `face_encodings`, `compare_faces` at tolerance
0.6 and 0.5). `--random-splits N` then repeats the LFW protocol on N random splits (the
calibration of the policy's thresholds). Last, the share of faces found in synthetic 12 MP
class photos, by size. Encodings are cached in $TMPDIR/secondlook-bench (delete it after
changing the pipeline).

LFW's labels are not all right: in a few photos the face at the centre is not the labelled
person (`NOT_THE_LABELLED_PERSON`, checked by eye). They stay in every figure; the line after
each table says how many of the misses they are.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from checks_common import default_policy  # noqa: E402
from image_checks.analyse import encode_faces, face_settings  # noqa: E402
from image_checks.decode import decode  # noqa: E402
from image_checks.encoder import encode_chips  # noqa: E402
from image_checks.enrol import DUPLICATE_DISTANCE, enrol_photo  # noqa: E402
from image_checks.face_arc import ARC_SIZE, arc_from_bytes, arc_to_bytes, encode_arc  # noqa: E402
from image_checks.face_sface import SFACE_SIZE, encode_sface, sface_from_bytes, sface_to_bytes  # noqa: E402
from image_checks.face_detection import find_faces  # noqa: E402
from image_checks.index import NoPublishIndex  # noqa: E402
from tests.support.image_synth import FACES, found_share, group_photo, lfw_people  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "secondlook-bench"
NAN = np.full(128, np.nan)
ARC_NAN = np.full(ARC_SIZE, np.nan)
#: The matcher before the issue-5 recognition work: nearest single template, these thresholds.
BEFORE_THRESHOLDS = (0.48, 0.52)
#: dlib's network with centroids, cohort and mirrored faces, as calibrated before the ArcFace network.
DLIB_THRESHOLDS = (0.47, 0.49)
#: LFW photos whose central face is someone else (a team-mate, a man beside the president) or no
#: face at all (the back of a head): label noise, counted as misses like any other.
NOT_THE_LABELLED_PERSON = {"lfw/Michael_Schumacher/Michael_Schumacher_0008.jpg",
                           "lfw/Pervez_Musharraf/Pervez_Musharraf_0005.jpg",
                           "lfw/Recep_Tayyip_Erdogan/Recep_Tayyip_Erdogan_0004.jpg"}
#: face_recognition's test photos are named after the person (or show two people: left out).
FR_NAMES = {"obama": "obama", "biden": "biden", "johnsnow": "kit_harington", "alex_lacamoire": "alex_lacamoire",
            "32bit": "obama"}
#: People of those two folders who are in LFW too (checked by eye): their LFW photos are probes there.
ALSO_IN_LFW = {"deepface/person_01": "Angelina_Jolie", "face_recognition/biden": "Joseph_Biden"}


@dataclass
class Roles:
    splits: dict[str, dict[str, list[Path]]]  # split name -> enrolled person -> photos
    cohort: dict[str, list[Path]]
    common_strangers: list[Path]

    def strangers(self, split: str) -> list[Path]:
        others = [photos[0] for name, people in self.splits.items() if name != split for photos in people.values()]
        return self.common_strangers + others


def lfw_roles() -> Roles:
    people = lfw_people(1)
    names = sorted(people)
    four = [n for n in names if len(people[n]) >= 4]
    splits = {"A": {n: people[n] for n in four[0::3][:40]}, "B": {n: people[n] for n in four[1::3][:40]}}
    cohort = {n: people[n] for n in names if 2 <= len(people[n]) <= 3}
    used = set(cohort) | {n for s in splits.values() for n in s}
    return Roles(splits, cohort, [people[n][0] for n in names if n not in used])


#: LFW's deep-funnelled photos put the labelled person's face at the centre: a face found farther
#: than this from it is someone else's (a person behind), never enrolled or scored as theirs.
LFW_CENTRE_PX = 40


def central(boxes: list[tuple[int, int, int, int]], shape: tuple[int, ...], path: Path) -> int | None:
    """The face nearest the photo's centre (the labelled person's in LFW; None if LFW's is not found)."""
    if not boxes:
        return None
    h, w = shape[:2]
    offsets = [(abs((b[1] + b[3]) / 2 - w / 2), abs((b[0] + b[2]) / 2 - h / 2)) for b in boxes]
    best = min(range(len(boxes)), key=lambda i: sum(offsets[i]))
    if path.parent.parent.name == "lfw" and max(offsets[best]) > LFW_CENTRE_PX:
        return None
    return best


def central_face(path: Path, policy):  # noqa: ANN001, ANN201
    """The photo's central face with its aligned chips, as a draft check would make them."""
    rgb = decode(path.read_bytes()).rgb
    faces = [f for f in find_faces(rgb, face_settings(policy)) if f.chip is not None]
    best = central([f.box for f in faces], rgb.shape, path)
    return None if best is None else faces[best]


class Encoder:
    """Encodings of photos by our pipeline and by the plain recipe, cached on disk."""

    def __init__(self, policy) -> None:  # noqa: ANN001
        self.policy = policy
        CACHE.mkdir(exist_ok=True)
        key = hashlib.sha256(repr(sorted(policy.face_settings.items())).encode()).hexdigest()[:10]
        self.file = CACHE / f"encodings-arc-{key}.npz"
        self.store: dict[str, np.ndarray] = dict(np.load(self.file)) if self.file.exists() else {}
        self.dirty = 0

    def _get(self, key: str, compute) -> np.ndarray:  # noqa: ANN001
        if key not in self.store:
            self.store[key] = compute()
            self.dirty += 1
            if self.dirty % 50 == 0:
                self.save()
        return self.store[key]

    def save(self) -> None:
        np.savez(self.file, **self.store)

    @staticmethod
    def _name(path: Path) -> str:
        return str(path.relative_to(FACES))

    def _enrolled(self, path: Path) -> np.ndarray:
        """Row: the template's dlib encoding (128), then its ArcFace encoding (512)."""
        def compute() -> np.ndarray:
            """As IT would: the labelled person's face, chosen from the candidates if need be."""
            missing = np.concatenate([NAN, ARC_NAN])
            shape = decode(path.read_bytes()).rgb.shape
            result = enrol_photo(path.read_bytes(), self.policy, choose=None)
            boxes = [(c.box.top, c.box.right, c.box.bottom, c.box.left) for c in result.candidates]
            if result.status == "multiple_faces":
                choice = central(boxes, shape, path)
                if choice is None:
                    return missing
                result = enrol_photo(path.read_bytes(), self.policy, choose=choice)
            elif result.accepted and central([(result.box.top, result.box.right, result.box.bottom,
                                               result.box.left)], shape, path) is None:
                return missing  # the only face found is not the labelled person's
            if not result.accepted:
                return missing
            return np.concatenate([result.vector(), arc_from_bytes(result.arc_encoding)])
        return self._get(f"enrol:{self._name(path)}", compute)

    def enrol(self, path: Path) -> np.ndarray:
        return self._enrolled(path)[:128]

    def two_enrolled(self, photos: list[Path]) -> list[Path]:
        """The first two of `photos` that enrolment accepts, as IT would do: a refused photo (no
        face, turned away, blurred, too small) is replaced by the next one."""
        return [p for p in photos if not np.isnan(self.enrol(p)).any()][:2]

    def enrol_arc(self, path: Path) -> np.ndarray:
        return self._enrolled(path)[128:]

    def _probe_encodings(self, path: Path) -> np.ndarray:
        """Row: dlib alone (as before issue 5), dlib face+mirror (the previous version), ArcFace (now)."""
        def compute() -> np.ndarray:
            face = central_face(path, self.policy)
            if face is None:
                return np.concatenate([NAN, NAN, ARC_NAN])
            return np.concatenate([encode_chips([face.chip], 1)[0], encode_faces([face.chip], 1)[0],
                                   encode_arc([face.arc_chip])[0]])
        return self._get(f"probe:{self._name(path)}", compute)

    def before(self, path: Path) -> np.ndarray:
        return self._probe_encodings(path)[:128]

    def dlib(self, path: Path) -> np.ndarray:
        return self._probe_encodings(path)[128:256]

    def probe(self, path: Path) -> np.ndarray:
        return self._probe_encodings(path)[256:]

    def enrol_sface(self, path: Path) -> np.ndarray:
        """The template's SFace encoding, enrolled as `_enrolled` enrols it (nan: not accepted)."""
        def compute() -> np.ndarray:
            if np.isnan(self.enrol(path)).any():
                return np.full(SFACE_SIZE, np.nan)
            shape = decode(path.read_bytes()).rgb.shape
            result = enrol_photo(path.read_bytes(), self.policy, choose=None)
            if result.status == "multiple_faces":
                boxes = [(c.box.top, c.box.right, c.box.bottom, c.box.left) for c in result.candidates]
                result = enrol_photo(path.read_bytes(), self.policy, choose=central(boxes, shape, path))
            return sface_from_bytes(result.sface_encoding)
        return self._get(f"enrol-sface:{self._name(path)}", compute)

    def sface(self, path: Path) -> np.ndarray:
        """The central face's SFace encoding, as a draft check makes it (nan: no face)."""
        def compute() -> np.ndarray:
            face = central_face(path, self.policy)
            return np.full(SFACE_SIZE, np.nan) if face is None else encode_sface([face.arc_chip])[0]
        return self._get(f"probe-sface:{self._name(path)}", compute)

    def plain(self, path: Path) -> np.ndarray:
        def compute() -> np.ndarray:
            import face_recognition
            rgb = decode(path.read_bytes()).rgb
            locations = face_recognition.face_locations(rgb, 1)
            best = central(locations, rgb.shape, path)
            if best is None:
                return NAN
            loc = locations[best]
            return np.array(face_recognition.face_encodings(rgb, [loc])[0])
        return self._get(f"plain:{self._name(path)}", compute)


def _where_found(faces: np.ndarray, score) -> np.ndarray:  # noqa: ANN001
    """`score(rows)` for the rows that hold an encoding; inf for photos where no face was found."""
    ok = ~np.isnan(faces).any(1)
    out = np.full(len(faces), np.inf)
    if ok.any():
        out[ok] = score(faces[ok])
    return out


def _nearest_template(faces: np.ndarray, templates: np.ndarray) -> np.ndarray:
    """Distance to the nearest dlib template."""
    index = NoPublishIndex(templates, np.arange(len(templates)))
    return _where_found(faces, lambda f: index.distances(f).min(1))


def _ours(faces: np.ndarray, index: NoPublishIndex) -> np.ndarray:
    """The index's score (ArcFace encodings in `faces`)."""
    return _where_found(faces, lambda f: index.nearest(f)[0])


def _dlib(faces: np.ndarray, index: NoPublishIndex) -> np.ndarray:
    """dlib's centroid-and-cohort score on its own scale (an index of dlib-only templates)."""
    return _where_found(faces, lambda f: index.scores(f).min(axis=1))


@dataclass
class Scores:
    """Each recipe's score per probe and per stranger (lower = more alike; inf = no face found)."""

    probes: dict[str, np.ndarray]
    strangers: dict[str, np.ndarray]
    templates: int
    no_face: int
    mislabelled: list[int] = field(default_factory=list)  # probes whose central face is someone else


def score(enrolled: dict[str, list[Path]], probes: list[tuple[str, Path]], strangers: list[Path],
          enc: Encoder) -> Scores:
    """Enrol `enrolled` (person -> photos to enrol); score `probes` (person, photo) and `strangers`."""
    rows, plain_t = [], []
    for pid, photos in enumerate(enrolled.values(), start=1):
        for photo in photos:
            v, a = enc.enrol(photo), enc.enrol_arc(photo)
            if not np.isnan(v).any():
                rows.append((pid, v.tobytes(), arc_to_bytes(a), sface_to_bytes(enc.enrol_sface(photo))))
            plain_t.append(enc.plain(photo))
    index = NoPublishIndex.from_rows([r[:3] for r in rows])  # as the server builds it, network = "arcface"
    sface_index = NoPublishIndex.from_rows(rows).for_network("sface")
    dlib_index = NoPublishIndex.from_rows([r[:2] for r in rows])  # the same templates, dlib only
    before_t = index.matrix
    plain_t = np.array([v for v in plain_t if not np.isnan(v).any()])
    out = Scores({}, {}, len(rows), 0)
    for paths, target in (([p for _, p in probes], out.probes), (strangers, out.strangers)):
        before = np.array([enc.before(p) for p in paths])
        target["before"] = _nearest_template(before, before_t)
        target["dlib"] = _dlib(np.array([enc.dlib(p) for p in paths]), dlib_index)
        target["ours"] = _ours(np.array([enc.probe(p) for p in paths]), index)
        target["sface"] = _where_found(np.array([enc.sface(p) for p in paths]),
                                       lambda f: sface_index.nearest(sface_encodings=f)[0])
        target["plain"] = _nearest_template(np.array([enc.plain(p) for p in paths]), plain_t)
        out.no_face += int(np.isnan(before).any(1).sum())
    out.mislabelled = [i for i, (_, p) in enumerate(probes) if enc._name(p) in NOT_THE_LABELLED_PERSON]
    return out


def _rate(scores: np.ndarray, threshold: float) -> float:
    return float((scores <= threshold).mean()) if len(scores) else float("nan")


def report(s: Scores, policy) -> None:  # noqa: ANN001
    m, p = policy.face_match_threshold, policy.face_possible_threshold
    rows = [("before: nearest dlib template", "before", *BEFORE_THRESHOLDS),
            ("dlib: centroid + cohort, face + mirror", "dlib", *DLIB_THRESHOLDS),
            ("ArcFace centroid, face + mirror", "ours", m, p),
            ("SFace centroid (the default network)", "sface", m, p)]
    print(f"  {'':40} {'caught: block / +warn':>24}   {'false alarms: block / +warn':>28}")
    for label, key, t1, t2 in rows:
        print(f"  {label:40} {_rate(s.probes[key], t1):7.1%} / {_rate(s.probes[key], t2):6.1%}"
              f"   {_rate(s.strangers[key], t1):13.1%} / {_rate(s.strangers[key], t2):6.1%}   (<= {t1} / {t2})")
    for tol in (0.6, 0.5):
        print(f"  {f'plain compare_faces, tolerance {tol}':40} {_rate(s.probes['plain'], tol):16.1%}"
              f"   {_rate(s.strangers['plain'], tol):22.1%}")
    for key, name in (("ours", "ArcFace"), ("sface", "SFace")):
        missed = np.flatnonzero(s.probes[key] > p)
        noise = len(set(missed) & set(s.mislabelled))
        print(f"  {name} missed {len(missed)} of {len(s.probes[key])} other photos; {noise} of them show "
              f"someone else at the centre (LFW label noise); without those: "
              f"{1 - (len(missed) - noise) / (len(s.probes[key]) - len(s.mislabelled)):.1%} caught")


def sweep(s: Scores, key: str, thresholds: np.ndarray) -> str:
    return "  ".join(f"{t:.2f}: {_rate(s.probes[key], t):.1%}/{_rate(s.strangers[key], t):.1%}" for t in thresholds)


def recognition(policy, enc: Encoder) -> None:  # noqa: ANN001
    roles = lfw_roles()
    for split, people in roles.splits.items():
        strangers = roles.strangers(split)
        enrolled = {n: enc.two_enrolled(photos) for n, photos in people.items()}
        probes = [(n, p) for n, photos in people.items() for p in photos if p not in enrolled[n]]
        s = score(enrolled, probes, strangers, enc)
        print(f"\nLFW split {split}: {len(people)} people enrolled ({s.templates} templates from 2 photos each), "
              f"{len(probes)} other photos, {len(strangers)} strangers ({s.no_face} photos with no face found)")
        report(s, policy)
        print("  sweep, ArcFace (caught/false alarms): " + sweep(s, "ours", np.arange(1.00, 1.165, 0.02)))
        print("  sweep, SFace:                         " + sweep(s, "sface", np.arange(1.00, 1.165, 0.02)))
        print("  sweep, dlib:                       " + sweep(s, "dlib", np.arange(0.43, 0.535, 0.02)))
    other_sources(policy, enc, roles.common_strangers)
    enc.save()


def random_splits(policy, enc: Encoder, n: int) -> None:  # noqa: ANN001
    """The calibration protocol: `n` random splits of LFW's people with >= 4 photos, 40 enrolled from
    2 random photos each (the first two of a random order that enrolment accepts; their other
    photos are probes), one photo of each other non-cohort person a stranger. Mean caught /
    false-alarm rates per threshold, ours (also without the mislabelled probes) and dlib's."""
    people = lfw_people(1)
    cohort = set(lfw_roles().cohort)
    four = [name for name in sorted(people) if len(people[name]) >= 4]
    rng = np.random.default_rng(2026)
    ours_t, dlib_t = np.arange(1.00, 1.165, 0.02), np.arange(0.43, 0.535, 0.02)
    keys = (("ours", ours_t), ("ours, label noise left out", ours_t), ("dlib", dlib_t))
    totals = {key: np.zeros((2, len(t))) for key, t in keys}
    for _ in range(n):
        chosen = set(rng.choice(four, 40, replace=False))
        enrolled, probes = {}, []
        for name in sorted(chosen):
            photos = list(rng.permutation(people[name]))
            enrolled[name] = enc.two_enrolled(photos)
            probes += [(name, p) for p in photos if p not in enrolled[name]]
        strangers = [people[name][0] for name in sorted(people) if name not in chosen and name not in cohort]
        s = score(enrolled, probes, strangers, enc)
        clean = np.delete(s.probes["ours"], s.mislabelled)
        s.probes["ours, label noise left out"], s.strangers["ours, label noise left out"] = clean, s.strangers["ours"]
        for key, thresholds in keys:
            totals[key] += [[_rate(s.probes[key], t) for t in thresholds], [_rate(s.strangers[key], t) for t in thresholds]]
    print(f"\n{n} random LFW splits (40 people enrolled from 2 random photos each; mean caught / false alarms):")
    for key, thresholds in keys:
        mean = totals[key] / n
        print(f"  {key}:\n    " + "  ".join(f"{t:.2f}: {c:.1%}/{f:.1%}" for t, c, f in zip(thresholds, *mean)))
    enc.save()


def thumbnails(policy, enc: Encoder) -> None:  # noqa: ANN001
    """Templates rebuilt from the stored face thumbnails (what `secondlook init-db` does for pupils
    enrolled before the ArcFace network) against templates from the photos, on splits A and B.
    Photos with several faces are left out of both (the thumbnail is of the chosen face)."""
    from image_checks.enrol import arc_from_thumbnail

    roles = lfw_roles()
    print("\ntemplates from thumbnails (~64 px faces) vs from the photos, ArcFace (caught / false alarms):")
    for split, people in roles.splits.items():
        rows_photo, rows_thumb, lost = [], [], 0
        for pid, photos in enumerate(people.values(), 1):
            for photo in enc.two_enrolled(photos):
                result = enrol_photo(photo.read_bytes(), policy)
                if not result.accepted:
                    continue
                rows_photo.append((pid, result.encoding, result.arc_encoding))
                arc = arc_from_thumbnail(result.thumbnail, policy)
                if arc is None:
                    lost += 1
                else:
                    rows_thumb.append((pid, result.encoding, arc))
        probes = [p for photos in people.values() for p in photos if p not in enc.two_enrolled(photos)]
        strangers = roles.strangers(split)
        for label, rows in (("photos", rows_photo), ("thumbnails", rows_thumb)):
            index = NoPublishIndex.from_rows(rows)
            sp = _ours(np.array([enc.probe(p) for p in probes]), index)
            ss = _ours(np.array([enc.probe(p) for p in strangers]), index)
            print(f"  split {split}, {len(rows)} templates from {label}: "
                  + "  ".join(f"{t:.2f}: {_rate(sp, t):.1%}/{_rate(ss, t):.1%}" for t in (1.06, 1.10, 1.12))
                  + (f"   ({lost} thumbnails with no face found)" if label == "thumbnails" else ""))


def other_sources(policy, enc: Encoder, strangers: list[Path]) -> None:  # noqa: ANN001
    """deepface's and face_recognition's photos: each person enrolled from up to 2 photos (always
    leaving one to catch), the rest — and their LFW photos, for the two who are in LFW — as probes;
    LFW's common strangers (but those two) as strangers. A probe that is the same photo as an
    enrolled one (a copy or a re-save: one-encoding distance <= 0.12) is left out."""
    people: dict[str, list[Path]] = {}
    for folder in sorted((FACES / "deepface").iterdir()):
        people[f"deepface/{folder.name}"] = sorted(folder.glob("*.jp*g"))
    for folder in sorted((FACES / "face_recognition" / "train").iterdir()):
        people[f"face_recognition/{folder.name}"] = sorted(p for p in folder.iterdir() if p.is_file())
    extra: dict[str, list[Path]] = {}
    for photo in sorted((FACES / "face_recognition").glob("test*/*")):
        who = next((v for k, v in FR_NAMES.items() if photo.stem.startswith(k)), None)
        if who and "_and_" not in photo.stem and "_with_" not in photo.stem:
            extra.setdefault(f"face_recognition/{who}", []).append(photo)
    lfw = lfw_people(1)
    for name, lfw_name in ALSO_IN_LFW.items():
        extra.setdefault(name, []).extend(lfw[lfw_name])
    strangers = [p for p in strangers if p.parent.name not in ALSO_IN_LFW.values()]
    enrolled, probes = {}, []
    for name, photos in people.items():
        n = max(1, min(2, len(photos) if name in extra else len(photos) - 1))
        enrolled[name] = photos[:n]
        probes += [(name, p) for p in photos[n:] + extra.get(name, [])]
    enrolled_photos = np.array([enc.before(p) for photos in enrolled.values() for p in photos])  # same photo?
    probes = [(n, p) for n, p in probes if np.isnan(enc.before(p)).any()
              or np.nanmin(np.linalg.norm(enrolled_photos - enc.before(p), axis=1)) > DUPLICATE_DISTANCE]
    s = score(enrolled, probes, strangers, enc)
    print(f"\ndeepface + face_recognition: {len(enrolled)} people enrolled ({s.templates} templates), "
          f"{len(probes)} other photos, {len(strangers)} LFW strangers ({s.no_face} photos with no face found)")
    report(s, policy)


def groups(policy, plain: bool) -> None:  # noqa: ANN001
    people = lfw_people(1)
    names = sorted(people)
    print("\nfaces found in synthetic 12 MP class photos (30 LFW faces each):")
    for face_px in (20, 24, 30, 40, 60):
        sources = [people[n][0] for n in names[face_px::7][:30]]
        photo = group_photo(sources, face_px=face_px, seed=face_px)
        rgb = decode(photo.jpeg(92)).rgb
        t = time.perf_counter()
        faces = find_faces(rgb, face_settings(policy))
        ours_t = time.perf_counter() - t
        found, false = found_share(photo.truth, [f.box for f in faces])
        clear = sum(1 for f in faces if f.quality == "ok")
        line = f"  ~{face_px:>2} px: ours {found:2}/30 ({false} false, {clear} clear enough to clear) in {ours_t:.1f} s"
        if plain:
            import face_recognition
            t = time.perf_counter()
            locs = face_recognition.face_locations(rgb, 1)
            p_found, p_false = found_share(photo.truth, locs)
            line += f"   | plain face_locations(img, 1): {p_found:2}/30 ({p_false} false) in {time.perf_counter() - t:.1f} s"
        print(line)


def small_faces(policy, enc: Encoder) -> None:  # noqa: ANN001
    """Split A's other photos and strangers composited 30 to a 12 MP class photo at each face size:
    how many are caught (a face not found or too small to encode counts as missed — in a check it
    gets unverifiable-face instead)."""
    roles = lfw_roles()
    people = roles.splits["A"]
    rows = [(pid, enc.enrol(photo).tobytes(), arc_to_bytes(enc.enrol_arc(photo)))
            for pid, photos in enumerate(people.values(), 1) for photo in enc.two_enrolled(photos)
            if not np.isnan(enc.enrol(photo)).any()]
    index = NoPublishIndex.from_rows(rows)

    def scores(paths: list[Path], face_px: int) -> tuple[np.ndarray, np.ndarray]:
        ours, before = [], []
        for start in range(0, len(paths), 30):
            photo = group_photo(paths[start:start + 30], face_px=face_px, seed=start)
            faces = [f for f in find_faces(decode(photo.jpeg(90)).rgb, face_settings(policy)) if f.chip is not None]
            for top, right, bottom, left in photo.truth:
                face = next((f for f in faces if top <= (f.box[0] + f.box[2]) / 2 <= bottom
                             and left <= (f.box[1] + f.box[3]) / 2 <= right), None)
                if face is None:
                    ours.append(np.inf)
                    before.append(np.inf)
                    continue
                ours.append(index.nearest(encode_arc([face.arc_chip]))[0][0])
                before.append(index.distances(encode_chips([face.chip])).min())
        return np.array(ours), np.array(before)

    m, p = policy.face_match_threshold, policy.face_possible_threshold
    print(f"\ncaught by face size (split A's other photos / strangers, 30 to a 12 MP class photo; ours <= {m} / {p}, "
          f"before <= {BEFORE_THRESHOLDS[1]}):")
    probes = [photo for photos in people.values() for photo in photos if photo not in enc.two_enrolled(photos)]
    for face_px in (25, 30, 35, 42):
        (po, pb), (so, sb) = scores(probes, face_px), scores(roles.strangers("A"), face_px)
        old = BEFORE_THRESHOLDS[1]
        print(f"  ~{face_px} px: ours {_rate(po, m):.1%} blocked, {_rate(po, p):.1%} caught, "
              f"{_rate(so, p):.1%} false alarms   | before {_rate(pb, old):.1%} caught, {_rate(sb, old):.1%} "
              f"false alarms   | {np.isinf(po).mean():.1%} not found or too small to encode")


def group_strangers(policy, folders: list[str], min_px: int = 60) -> np.ndarray:  # noqa: ANN001
    """ArcFace encodings of every clear face of at least `min_px` in real group photos (strangers
    to every list: nobody in them is in LFW)."""
    from bench.real_photos import photos_in

    out = []
    for path in photos_in(folders):
        faces = find_faces(decode(path.read_bytes()).rgb, face_settings(policy))
        chips = [f.arc_chip for f in faces if f.arc_chip is not None and f.width >= min_px]
        if chips:
            out.append(encode_arc(chips))
    return np.vstack(out) if out else np.zeros((0, ARC_SIZE))


def list_sizes(policy, enc: Encoder, sizes: list[int], repeats: int, extra_strangers: np.ndarray,  # noqa: ANN001
               templates: int = 2) -> None:
    """Caught / false alarms as the list grows: `size` pupils enrolled (people with >= templates+1
    LFW photos first, each from `templates` accepted photos, their other photos the probes; beyond
    those, people with fewer photos fill the list from what they have, without probes); strangers:
    one photo of every LFW person not enrolled, plus `extra_strangers` (faces from real group
    photos). Means over `repeats` random draws; the policy's thresholds, then a sweep."""
    people = lfw_people(1)
    names = sorted(people)
    m, p = policy.face_match_threshold, policy.face_possible_threshold
    sweep_t = np.arange(1.00, 1.125, 0.02)
    print(f"\nlist size (ArcFace, {templates} templates per pupil where they have the photos; mean of {repeats} random "
          f"draws; {len(extra_strangers)} faces from real group photos among the strangers):")
    for size in sizes:
        rng = np.random.default_rng(size)
        rows_out = np.zeros(3)
        sweep = np.zeros((2, len(sweep_t)))
        n_probes = n_strangers = 0
        for _ in range(repeats):
            rich = [n for n in names if len(people[n]) >= templates + 1]
            chosen = list(rng.choice(rich, min(size, len(rich)), replace=False))
            rest = [n for n in names if n not in chosen]
            chosen += list(rng.choice(rest, max(0, size - len(chosen)), replace=False))
            rows, probes = [], []
            for pid, name in enumerate(chosen, 1):
                photos = list(rng.permutation(people[name]))
                accepted = [ph for ph in photos if not np.isnan(enc.enrol(ph)).any()][:templates]
                rows += [(pid, enc.enrol(ph).tobytes(), arc_to_bytes(enc.enrol_arc(ph))) for ph in accepted]
                if len(people[name]) >= templates + 1:
                    probes += [ph for ph in photos if ph not in accepted]
            index = NoPublishIndex.from_rows(rows)
            sp = _ours(np.array([enc.probe(ph) for ph in probes]), index)
            strangers = [people[n][0] for n in names if n not in chosen]
            ss = np.concatenate([_ours(np.array([enc.probe(ph) for ph in strangers]), index),
                                 index.nearest(extra_strangers)[0] if len(extra_strangers) else np.zeros(0)])
            rows_out += [_rate(sp, p), _rate(ss, p), _rate(ss, m)]
            sweep += [[_rate(sp, t) for t in sweep_t], [_rate(ss, t) for t in sweep_t]]
            n_probes, n_strangers = len(sp), len(ss)
        c, f, fb = rows_out / repeats
        print(f"  {size:4} enrolled ({n_probes} probes, {n_strangers} strangers): caught {c:.1%} at {f:.1%} false "
              f"alarms (<= {p}), {fb:.1%} false blocks (<= {m})")
        print("       sweep (caught/false alarms): " + "  ".join(
            f"{t:.2f}: {a:.1%}/{b:.1%}" for t, a, b in zip(sweep_t, *(sweep / repeats))))
    enc.save()


#: The lever row of `--fusion` (LFW strangers only: the group-photo faces have no dlib encoding cached).
FUSED = "ArcFace + dlib, z-scored sum"


def long_lists(policy, root: Path, sizes: list[int], repeats: int, templates: int,  # noqa: ANN001
               extra_strangers: np.ndarray, template_policy=None, network: str = "sface",  # noqa: ANN001
               fusion: bool = False) -> None:
    """`--lfw DIR`: the list-size protocol of bench/long_list.py on LFW people not in ../shared/faces
    (at the policy's thresholds through NoPublishIndex, then each lever at fixed false-alarm rates)."""
    from bench import long_list

    people = long_list.lfw_outside_shared(root, FACES / "lfw")
    if network != "arcface":  # the group photos' faces are cached as ArcFace encodings only
        extra_strangers = extra_strangers[:0]
    cache = long_list.PhotoCache(policy, root)
    # templates enrolled under another policy (e.g. the other alignment) than the faces are checked with
    template_cache = long_list.PhotoCache(template_policy, root) if template_policy else None
    m, p = policy.face_match_threshold, policy.face_possible_threshold
    print(f"\nlist size, network {network}, LFW people not in ../shared/faces ({len(people)} people in {root}; {templates} templates "
          f"per pupil, <= {long_list.PROBES_PER_PUPIL} probes each; mean of {repeats} draws; "
          f"{len(extra_strangers)} faces from real group photos among the strangers):")
    print(f"  {'enrolled':>8} {'probes':>7} {'strangers':>9}   caught (block or warn)   false alarms (block or warn)"
          f"   false blocks   caught by blocks")
    lever_rows = {}
    for size in sizes:
        ds = long_list.draws(people, cache, size, repeats, templates, log=lambda *a: None)
        figures, levers = np.zeros(4), {name: np.zeros(2) for name in long_list.LEVERS}
        at, near = np.zeros((2, 2)), 0.0
        for d in ds:
            if template_cache:
                d.templates = [[template_cache.get(ph.path) for ph in photos] for photos in d.templates]
            rows = [(pid, arc_to_bytes(ph.arc)) for pid, photos in enumerate(d.templates) for ph in photos]
            index = NoPublishIndex(np.zeros((len(rows), 128)), np.array([r[0] for r in rows]),
                                   arc_matrix=np.array([arc_from_bytes(r[1]) for r in rows]),
                                   arc_ids=np.array([r[0] for r in rows]))
            probes = np.array([ph.arc for _, ph in d.probes])
            strangers = d.strangers if not len(extra_strangers) else np.vstack([d.strangers, extra_strangers])
            sp, ss = _ours(probes, index), _ours(strangers, index)
            if network == "sface":  # the same faces by SFace, as `network = "sface"` matches them
                sface_index = NoPublishIndex(np.zeros((len(rows), 128)), np.array([r[0] for r in rows]),
                                             sface_matrix=np.array([cache.sface(ph.path) for photos in d.templates
                                                                    for ph in photos]),
                                             sface_ids=np.array([r[0] for r in rows]), network="sface")
                sp, ss = (_where_found(np.array([cache.sface(path) for path in paths]),
                                       lambda f: sface_index.nearest(sface_encodings=f)[0])
                          for paths in ([ph.path for _, ph in d.probes], d.stranger_paths))
            if network == "dlib":  # the same faces by dlib's network, as `network = "dlib"` matches them
                dlib_rows = [(pid, cache.dlib(ph.path)[:128].tobytes()) for pid, photos in enumerate(d.templates)
                             for ph in photos]
                dlib_index = NoPublishIndex.from_rows([r for r in dlib_rows if not np.isnan(np.frombuffer(r[1])).any()])
                sp = _where_found(np.array([cache.dlib(ph.path)[128:] for _, ph in d.probes]),
                                  lambda f: dlib_index.nearest(np.zeros((len(f), ARC_SIZE)), f)[0])
                ss = _where_found(np.array([cache.dlib(path)[128:] for path in d.stranger_paths]),
                                  lambda f: dlib_index.nearest(np.zeros((len(f), ARC_SIZE)), f)[0])
            figures += [_rate(sp, p), _rate(ss, p), _rate(ss, m), _rate(sp, m)]
            near += _rate(ss, p + 0.15)  # strangers near enough that a "mirror only near the list" rule still pays
            for k, rate in enumerate((0.01, 0.001)):  # the distance that lets this share of strangers through
                t = float(np.quantile(ss, rate))
                at[k] += [t, _rate(sp, t)]
            d.strangers = strangers
            for name, lever in (long_list.LEVERS if network == "arcface" else {}).items():
                bp, bs = long_list.lever_scores(lever, d)
                levers[name] += [long_list.caught_at(bp, bs, 0.01), long_list.caught_at(bp, bs, 0.005)]
            if fusion and network == "arcface":
                bp, bs = long_list.fused_with_dlib(d, cache)
                levers.setdefault(FUSED, np.zeros(2))
                levers[FUSED] += [long_list.caught_at(bp, bs, 0.01), long_list.caught_at(bp, bs, 0.005)]
        c, f, fb, cb = figures / repeats
        print(f"  {size:>8} {len(ds[-1].probes):>7} {len(ds[-1].strangers):>9}   {c:22.1%}   {f:28.2%}   {fb:12.2%}"
              f"   {cb:16.1%}   (<= {p} / {m})")
        (t1, c1), (t01, c01) = at / repeats
        print(f"  {'':8} thresholds for 1 % false alarms: {t1:.3f} ({c1:.1%} caught); for 0.1 %: {t01:.3f} ({c01:.1%} "
              f"caught); strangers within {p + 0.15:.2f} of a pupil: {near / repeats:.1%}")
        lever_rows[size] = {name: v / repeats for name, v in levers.items()}
    if network != "arcface":
        cache.save()
        return
    print("  levers: caught at 1 % / 0.5 % false alarms (threshold set on each draw's strangers):")
    print(f"  {'':32}" + "".join(f"{f'{size} enrolled':>18}" for size in sizes))
    for name in list(long_list.LEVERS) + ([FUSED] if fusion else []):
        print(f"  {name:32}" + "".join(f"{f'{lever_rows[s][name][0]:.1%} / {lever_rows[s][name][1]:.1%}':>18}"
                                        for s in sizes))
    cache.save()
    if template_cache:
        template_cache.save()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-groups", action="store_true")
    parser.add_argument("--no-plain-groups", action="store_true")
    parser.add_argument("--jitters", type=int, default=None, help="override [faces] enrol_jitters")
    parser.add_argument("--thumbnails", action="store_true",
                        help="also compare templates rebuilt from thumbnails with templates from the photos")
    parser.add_argument("--list-sizes", default="", help="e.g. 40,120,250: caught / false alarms as the list grows")
    parser.add_argument("--repeats", type=int, default=3, help="random draws per list size")
    parser.add_argument("--templates", type=int, default=2, help="templates per pupil for --list-sizes")
    parser.add_argument("--photos", action="append", default=[],
                        help="folder of real group photos: their faces join the strangers (--list-sizes)")
    parser.add_argument("--lfw", default="", metavar="DIR",
                        help="a full LFW copy (one folder per person): --list-sizes on its people who are "
                             "not in ../shared/faces (bench/long_list.py)")
    parser.add_argument("--only-list-sizes", action="store_true", help="skip the other measurements")
    parser.add_argument("--landmarks", type=int, choices=(5, 68), default=None,
                        help="override [faces] landmarks (5: YuNet's own points align the faces, no dlib model)")
    parser.add_argument("--template-landmarks", type=int, choices=(5, 68), default=None,
                        help="with --lfw: templates enrolled with this alignment, faces checked with --landmarks")
    parser.add_argument("--network", choices=("sface", "arcface", "dlib"), default=None,
                        help="with --lfw: the network that matches (default: the policy's [faces] network); "
                             "without it both are printed side by side anyway")
    parser.add_argument("--fusion", action="store_true",
                        help="with --lfw: also the two networks' scores together (a lever, not shipped)")
    parser.add_argument("--random-splits", type=int, default=0, metavar="N",
                        help="also run the calibration protocol on N random LFW splits")
    args = parser.parse_args()
    policy = default_policy()
    if args.landmarks:
        policy = replace(policy, face_settings={**policy.face_settings, "landmarks": args.landmarks})
    if args.jitters:
        policy = replace(policy, face_settings={**policy.face_settings, "enrol_jitters": args.jitters})
    enc = Encoder(policy)
    if args.list_sizes:
        extra = group_strangers(policy, args.photos) if args.photos else np.zeros((0, ARC_SIZE))
        for templates in sorted({args.templates, 2}):
            sizes = [int(n) for n in args.list_sizes.split(",")]
            if args.lfw:
                tpl = (replace(policy, face_settings={**policy.face_settings, "landmarks": args.template_landmarks})
                       if args.template_landmarks else None)
                long_lists(policy, Path(args.lfw), sizes, args.repeats, templates, extra, tpl,
                           args.network or policy.face_settings.get("network", "sface"), args.fusion)
            else:
                list_sizes(policy, enc, sizes, args.repeats, extra, templates)
        if args.only_list_sizes:
            return
    recognition(policy, enc)
    if args.random_splits:
        random_splits(policy, enc, args.random_splits)
    if args.thumbnails:
        thumbnails(policy, enc)
    if not args.no_groups:
        small_faces(policy, enc)
        groups(policy, plain=not args.no_plain_groups)


if __name__ == "__main__":
    main()
