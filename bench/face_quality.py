"""How well faces are recognised, on the real photos in ../shared/faces (figures printed, never asserted).

    .venv/bin/python bench/face_quality.py [--no-groups] [--no-plain-groups]

Protocol (deterministic, people sorted by name):
* enrolled: 40 LFW people with >= 4 photos; their first 2 photos are enrolled as the admin pages
  do (`enrol_photo`), their other photos are the probes that must be caught;
* strangers: the 120 LFW people with one photo, plus the first photo of half of the other people
  with 2+ photos: none is enrolled, none may be flagged;
* cohort: the first photo of the remaining half (used only for score normalisation, see below).

"caught" = the photo gets no-publish-face (block) or possible-no-publish-face (warn);
"false alarm" = a stranger's photo gets either. The plain face_recognition recipe
(`face_locations`, `face_encodings`, `compare_faces` at tolerance 0.6 and 0.5) runs on the same
photos side by side. Last, the share of faces found in synthetic 12 MP class photos, by size.
Encodings are cached in $TMPDIR/secondlook-bench (delete it after changing the pipeline).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from checks_common import default_policy  # noqa: E402
from image_checks.analyse import face_settings  # noqa: E402
from image_checks.decode import decode  # noqa: E402
from image_checks.encoder import encode_chips  # noqa: E402
from image_checks.enrol import enrol_photo  # noqa: E402
from image_checks.faces import find_faces  # noqa: E402
from tests.image_synth import found_share, group_photo, lfw_people  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "secondlook-bench"
NAN = np.full(128, np.nan)


def split() -> tuple[dict[str, list[Path]], list[Path], list[Path]]:
    people = lfw_people(1)
    names = sorted(people)
    enrolled = [n for n in names if len(people[n]) >= 4][::3][:40]
    rest = [n for n in names if len(people[n]) >= 2 and n not in enrolled]
    strangers = [people[n][0] for n in names if len(people[n]) == 1] + [people[n][0] for n in rest[1::2]]
    cohort = [people[n][0] for n in rest[::2]]
    return {n: people[n] for n in enrolled}, strangers, cohort


def _central(boxes: list[tuple[int, int, int, int]], shape: tuple[int, ...]) -> int:
    """LFW photos are centred on the labelled face; others may show in the background."""
    h, w = shape[:2]
    return min(range(len(boxes)), key=lambda i: abs((boxes[i][1] + boxes[i][3]) / 2 - w / 2)
               + abs((boxes[i][0] + boxes[i][2]) / 2 - h / 2))


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

    def enrol(self, path: Path) -> np.ndarray:
        def compute() -> np.ndarray:
            result = enrol_photo(path.read_bytes(), self.policy, choose=None)
            if result.status == "multiple_faces":
                rgb = decode(path.read_bytes()).rgb
                result = enrol_photo(path.read_bytes(), self.policy,
                                     choose=_central([(c.box.top, c.box.right, c.box.bottom, c.box.left)
                                                      for c in result.candidates], rgb.shape))
            return result.vector() if result.accepted else NAN
        return self._get(f"enrol:{path.parent.name}/{path.name}", compute)

    def probe(self, path: Path) -> np.ndarray:
        def compute() -> np.ndarray:
            rgb = decode(path.read_bytes()).rgb
            faces = [f for f in find_faces(rgb, face_settings(self.policy)) if f.chip is not None]
            if not faces:
                return NAN
            face = faces[_central([f.box for f in faces], rgb.shape)]
            return encode_chips([face.chip], 1)[0]
        return self._get(f"probe:{path.parent.name}/{path.name}", compute)

    def plain(self, path: Path) -> np.ndarray:
        def compute() -> np.ndarray:
            import face_recognition
            rgb = decode(path.read_bytes()).rgb
            locations = face_recognition.face_locations(rgb, 1)
            if not locations:
                return NAN
            loc = locations[_central(locations, rgb.shape)]
            return np.array(face_recognition.face_encodings(rgb, [loc])[0])
        return self._get(f"plain:{path.parent.name}/{path.name}", compute)


def distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sqrt(np.maximum(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1), 0))


def rates(probe_d: np.ndarray, stranger_d: np.ndarray, threshold: float) -> tuple[float, float]:
    """Share of probes and of strangers whose nearest template is within `threshold` (NaN = no face = missed)."""
    caught = np.nan_to_num(probe_d, nan=np.inf) <= threshold
    alarms = np.nan_to_num(stranger_d, nan=np.inf) <= threshold
    return float(caught.mean()), float(alarms.mean())


def recognition(policy, enc: Encoder) -> None:  # noqa: ANN001
    enrolled, strangers, cohort = split()
    for label, enrol_fn, probe_fn in (("ours", enc.enrol, enc.probe), ("plain", enc.plain, enc.plain)):
        templates, ids = [], []
        for k, (name, photos) in enumerate(enrolled.items()):
            for photo in photos[:2]:
                v = enrol_fn(photo)
                if not np.isnan(v).any():
                    templates.append(v)
                    ids.append(k)
        T = np.array(templates)
        probes = [(probe_fn(p), k) for k, photos in enumerate(enrolled.values()) for p in photos[2:]]
        P = np.array([v for v, _ in probes])
        S = np.array([probe_fn(p) for p in strangers])
        pd = np.where(np.isnan(P).any(1), np.nan, distances(np.nan_to_num(P), T).min(1))
        sd = np.where(np.isnan(S).any(1), np.nan, distances(np.nan_to_num(S), T).min(1))
        missing_p = int(np.isnan(P).any(1).sum())
        missing_s = int(np.isnan(S).any(1).sum())
        print(f"\n[{label}] {len(T)} templates of {len(enrolled)} people; {len(P)} other photos "
              f"({missing_p} with no face found); {len(S)} strangers ({missing_s} with no face found)")
        if label == "plain":
            for tol in (0.6, 0.5):
                c, f = rates(pd, sd, tol)
                print(f"  compare_faces tolerance {tol}: caught {c:6.1%}   false alarms {f:6.1%}")
        else:
            m, p = policy.face_match_threshold, policy.face_possible_threshold
            cb, fb = rates(pd, sd, m)
            cw, fw = rates(pd, sd, p)
            print(f"  block (<= {m}): caught {cb:6.1%}   false blocks {fb:6.1%}")
            print(f"  block or warn (<= {p}): caught {cw:6.1%}   false alarms {fw:6.1%}")
            print("  sweep:  " + "  ".join(f"{t:.2f}: {rates(pd, sd, t)[0]:.1%}/{rates(pd, sd, t)[1]:.1%}"
                                           for t in np.arange(0.36, 0.62, 0.02)))
            C = np.array([v for v in (probe_fn(p) for p in cohort) if not np.isnan(v).any()])
            _normalised(pd, sd, P, S, T, C)
    enc.save()


def _normalised(pd, sd, P, S, T, C) -> None:  # noqa: ANN001
    """Score normalisation against the cohort: does it separate probes from strangers better?"""
    ok_p, ok_s = ~np.isnan(P).any(1), ~np.isnan(S).any(1)
    dc = distances(T, C)
    mu, sigma = dc.mean(1), dc.std(1)
    zp = np.full(len(P), np.nan)
    zs = np.full(len(S), np.nan)
    zp[ok_p] = ((distances(P[ok_p], T) - mu) / sigma).min(1)
    zs[ok_s] = ((distances(S[ok_s], T) - mu) / sigma).min(1)
    # the z threshold giving the same false-alarm rate as the raw possible threshold, and its catch rate
    print("  Z-norm (per template, vs cohort): " + "  ".join(
        f"z<={z}: {rates(zp, zs, z)[0]:.1%}/{rates(zp, zs, z)[1]:.1%}" for z in (-6.0, -5.5, -5.0, -4.5, -4.0)))
    pc = distances(P[ok_p], C)
    sc = distances(S[ok_s], C)
    tp = np.full(len(P), np.nan)
    ts = np.full(len(S), np.nan)
    tp[ok_p] = (pd[ok_p] - pc.mean(1)) / pc.std(1)
    ts[ok_s] = (sd[ok_s] - sc.mean(1)) / sc.std(1)
    print("  T-norm (per probe, vs cohort):    " + "  ".join(
        f"z<={z}: {rates(tp, ts, z)[0]:.1%}/{rates(tp, ts, z)[1]:.1%}" for z in (-6.0, -5.5, -5.0, -4.5, -4.0)))


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
        groups(policy, plain=not args.no_plain_groups)


if __name__ == "__main__":
    main()
