"""How well faces are recognised, on the real photos in ../shared/faces (figures printed, never asserted).

    .venv/bin/python bench/face_quality.py [--no-groups] [--no-plain-groups]

LFW roles (deterministic, people sorted by name; no person has two roles in one split):
* split A / split B: 40 people each with >= 4 photos (every third such person, from the first /
  second); their first 2 photos are enrolled as the admin pages do (`enrol_photo`), their other
  photos are the probes that must be caught;
* cohort: the 35 people with 2 or 3 photos — the background faces shipped in
  image_checks/face_cohort.npz (tools/build_face_cohort.py), used only for normalisation;
* strangers: one photo each of everybody else (the 120 people with one photo, the people with
  >= 4 photos in neither split) plus, for split A, split B's people and vice versa.
Then the same on the deepface and face_recognition folders (other photo sources and sizes), with
LFW's strangers. Then split A again with every face composited small into class photos.

"caught" = the photo gets no-publish-face (block) or possible-no-publish-face (warn);
"false alarm" = a stranger's photo gets either. Side by side, on the same photos: the matcher
before issue-5 work (nearest template, one encoding per face, thresholds 0.48 / 0.52), ours now
(image_checks.index: pupil centroid, cohort offset, face and mirror image averaged), and the
plain face_recognition recipe (`face_locations`, `face_encodings`, `compare_faces` at tolerance
0.6 and 0.5). Last, the share of faces found in synthetic 12 MP class photos, by size.
Encodings are cached in $TMPDIR/secondlook-bench (delete it after changing the pipeline).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from checks_common import default_policy  # noqa: E402
from image_checks.analyse import encode_faces, face_settings  # noqa: E402
from image_checks.decode import decode  # noqa: E402
from image_checks.encoder import encode_chips  # noqa: E402
from image_checks.enrol import DUPLICATE_DISTANCE, enrol_photo  # noqa: E402
from image_checks.faces import find_faces  # noqa: E402
from image_checks.index import NoPublishIndex  # noqa: E402
from tests.image_synth import FACES, found_share, group_photo, lfw_people  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "secondlook-bench"
NAN = np.full(128, np.nan)
#: The matcher before the issue-5 recognition work: nearest single template, these thresholds.
BEFORE_THRESHOLDS = (0.48, 0.52)
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


def central_chip(path: Path, policy) -> np.ndarray | None:  # noqa: ANN001
    """The aligned chip of the photo's central face, as a draft check would make it."""
    rgb = decode(path.read_bytes()).rgb
    faces = [f for f in find_faces(rgb, face_settings(policy)) if f.chip is not None]
    best = central([f.box for f in faces], rgb.shape, path)
    return None if best is None else faces[best].chip


class Encoder:
    """Encodings of photos by our pipeline and by the plain recipe, cached on disk."""

    def __init__(self, policy) -> None:  # noqa: ANN001
        self.policy = policy
        CACHE.mkdir(exist_ok=True)
        key = hashlib.sha256(repr(sorted(policy.face_settings.items())).encode()).hexdigest()[:10]
        self.file = CACHE / f"encodings-{key}.npz"
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

    def enrol(self, path: Path) -> np.ndarray:
        def compute() -> np.ndarray:
            """As IT would: the labelled person's face, chosen from the candidates if need be."""
            shape = decode(path.read_bytes()).rgb.shape
            result = enrol_photo(path.read_bytes(), self.policy, choose=None)
            boxes = [(c.box.top, c.box.right, c.box.bottom, c.box.left) for c in result.candidates]
            if result.status == "multiple_faces":
                choice = central(boxes, shape, path)
                if choice is None:
                    return NAN
                result = enrol_photo(path.read_bytes(), self.policy, choose=choice)
            elif result.accepted and central([(result.box.top, result.box.right, result.box.bottom,
                                               result.box.left)], shape, path) is None:
                return NAN  # the only face found is not the labelled person's
            return result.vector() if result.accepted else NAN
        return self._get(f"enrol:{self._name(path)}", compute)

    def _chip_encodings(self, path: Path) -> np.ndarray:
        """Row 0: the chip's encoding alone (as before); row 1: what a draft check uses now."""
        def compute() -> np.ndarray:
            chip = central_chip(path, self.policy)
            if chip is None:
                return np.vstack([NAN, NAN])
            return np.vstack([encode_chips([chip], 1)[0], encode_faces([chip], 1)[0]])
        return self._get(f"probe:{self._name(path)}", compute)

    def before(self, path: Path) -> np.ndarray:
        return self._chip_encodings(path)[0]

    def probe(self, path: Path) -> np.ndarray:
        return self._chip_encodings(path)[1]

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


def _nearest_template(faces: np.ndarray, templates: np.ndarray) -> np.ndarray:
    """Distance to the nearest template (inf when no face was found)."""
    ok = ~np.isnan(faces).any(1)
    out = np.full(len(faces), np.inf)
    if ok.any():
        out[ok] = NoPublishIndex(templates, np.arange(len(templates))).distances(faces[ok]).min(1)
    return out


def _ours(faces: np.ndarray, index: NoPublishIndex) -> np.ndarray:
    ok = ~np.isnan(faces).any(1)
    out = np.full(len(faces), np.inf)
    if ok.any():
        out[ok] = index.nearest(faces[ok])[0]
    return out


@dataclass
class Scores:
    """Each recipe's score per probe and per stranger (lower = more alike; inf = no face found)."""

    probes: dict[str, np.ndarray]
    strangers: dict[str, np.ndarray]
    templates: int
    no_face: int


def score(enrolled: dict[str, list[Path]], probes: list[tuple[str, Path]], strangers: list[Path],
          enc: Encoder) -> Scores:
    """Enrol `enrolled` (person -> photos to enrol); score `probes` (person, photo) and `strangers`."""
    rows, plain_t = [], []
    for pid, photos in enumerate(enrolled.values(), start=1):
        for photo in photos:
            v = enc.enrol(photo)
            if not np.isnan(v).any():
                rows.append((pid, v.tobytes()))
            plain_t.append(enc.plain(photo))
    index = NoPublishIndex.from_rows(rows)  # with the shipped cohort, as the server builds it
    before_t = index.matrix
    plain_t = np.array([v for v in plain_t if not np.isnan(v).any()])
    out = Scores({}, {}, len(rows), 0)
    for paths, target in (([p for _, p in probes], out.probes), (strangers, out.strangers)):
        before = np.array([enc.before(p) for p in paths])
        target["before"] = _nearest_template(before, before_t)
        target["ours"] = _ours(np.array([enc.probe(p) for p in paths]), index)
        target["plain"] = _nearest_template(np.array([enc.plain(p) for p in paths]), plain_t)
        out.no_face += int(np.isnan(before).any(1).sum())
    return out


def _rate(scores: np.ndarray, threshold: float) -> float:
    return float((scores <= threshold).mean()) if len(scores) else float("nan")


def report(s: Scores, policy) -> None:  # noqa: ANN001
    m, p = policy.face_match_threshold, policy.face_possible_threshold
    bm, bp = BEFORE_THRESHOLDS
    rows = [("before: nearest template, 1 encoding", "before", bm, bp),
            ("ours: centroid + cohort, face + mirror", "ours", m, p)]
    print(f"  {'':40} {'caught: block / +warn':>24}   {'false alarms: block / +warn':>28}")
    for label, key, t1, t2 in rows:
        print(f"  {label:40} {_rate(s.probes[key], t1):7.1%} / {_rate(s.probes[key], t2):6.1%}"
              f"   {_rate(s.strangers[key], t1):13.1%} / {_rate(s.strangers[key], t2):6.1%}   (<= {t1} / {t2})")
    for tol in (0.6, 0.5):
        print(f"  {f'plain compare_faces, tolerance {tol}':40} {_rate(s.probes['plain'], tol):16.1%}"
              f"   {_rate(s.strangers['plain'], tol):22.1%}")


def sweep(s: Scores, key: str) -> str:
    return "  ".join(f"{t:.2f}: {_rate(s.probes[key], t):.1%}/{_rate(s.strangers[key], t):.1%}"
                     for t in np.arange(0.42, 0.585, 0.02))


def recognition(policy, enc: Encoder) -> None:  # noqa: ANN001
    roles = lfw_roles()
    for split, people in roles.splits.items():
        strangers = roles.strangers(split)
        probes = [(n, p) for n, photos in people.items() for p in photos[2:]]
        s = score({n: photos[:2] for n, photos in people.items()}, probes, strangers, enc)
        print(f"\nLFW split {split}: {len(people)} people enrolled ({s.templates} templates from 2 photos each), "
              f"{len(probes)} other photos, {len(strangers)} strangers ({s.no_face} photos with no face found)")
        report(s, policy)
        print("  sweep, ours (caught/false alarms): " + sweep(s, "ours"))
        print("  sweep, before:                     " + sweep(s, "before"))
    other_sources(policy, enc, roles.common_strangers)
    enc.save()


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
    enrolled_photos = np.array([enc.before(p) for photos in enrolled.values() for p in photos])
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
    rows = [(pid, v.tobytes()) for pid, photos in enumerate(people.values(), 1)
            for v in map(enc.enrol, photos[:2]) if not np.isnan(v).any()]
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
                ours.append(index.nearest(encode_faces([face.chip]))[0][0])
                before.append(index.distances(encode_chips([face.chip])).min())
        return np.array(ours), np.array(before)

    m, p = policy.face_match_threshold, policy.face_possible_threshold
    print(f"\ncaught by face size (split A's other photos / strangers, 30 to a 12 MP class photo; ours <= {m} / {p}, "
          f"before <= {BEFORE_THRESHOLDS[1]}):")
    probes = [photo for photos in people.values() for photo in photos[2:]]
    for face_px in (25, 30, 35, 42):
        (po, pb), (so, sb) = scores(probes, face_px), scores(roles.strangers("A"), face_px)
        old = BEFORE_THRESHOLDS[1]
        print(f"  ~{face_px} px: ours {_rate(po, m):.1%} blocked, {_rate(po, p):.1%} caught, "
              f"{_rate(so, p):.1%} false alarms   | before {_rate(pb, old):.1%} caught, {_rate(sb, old):.1%} "
              f"false alarms   | {np.isinf(po).mean():.1%} not found or too small to encode")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-groups", action="store_true")
    parser.add_argument("--no-plain-groups", action="store_true")
    parser.add_argument("--jitters", type=int, default=None, help="override [faces] enrol_jitters")
    args = parser.parse_args()
    policy = default_policy()
    if args.jitters:
        policy = replace(policy, face_settings={**policy.face_settings, "enrol_jitters": args.jitters})
    enc = Encoder(policy)
    recognition(policy, enc)
    if not args.no_groups:
        small_faces(policy, enc)
        groups(policy, plain=not args.no_plain_groups)


if __name__ == "__main__":
    main()
