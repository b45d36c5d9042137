"""Real group photos for the benchmarks: a folder of photos, a pooled reference of faces, recall by
size, time per photo and per megapixel (figures printed, never asserted).

    .venv/bin/python bench/real_photos.py --photos DIR [--photos DIR2 ...] [--twelve-mp] [--plain]

No public set of group photos with face annotations could be reached unresized here (WIDER FACE's
validation images are not in any repository we can fetch), so the reference is **pooled**: a face
is every box found by at least one method on the photo at its own size (our YuNet finder, the
Haar + HOG finder, and with `--plain` face_recognition's `face_locations(img, 2)`), merged when
their centres fall in each other's box. A method's recall is its share of the pooled faces; each
method's faces no other method found are listed too (look at them: some are false).

Photos used (not committed; fetch them): the `imgs/` of github.com/Linzaer/Ultra-Light-Fast-
Generic-Face-Detector-1MB (MIT; 24 group photos, 0.3-1.6 MP) — the set the finder was looked at
on — and, held aside, `../shared/faces/groups` (dlib examples, deepface, face_recognition).
`--twelve-mp` also times the whole check of each photo upscaled to 12 MP (a phone's size), both
finders in the same run: wall and CPU seconds, per photo and per megapixel, and their ratio.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from checks_common import Draft, default_policy  # noqa: E402
from image_checks.analyse import face_settings  # noqa: E402
from image_checks.decode import decode  # noqa: E402
from image_checks.face_detection import find_faces  # noqa: E402

SIZES = ((0, 20), (20, 24), (24, 40), (40, 10_000))
SCHOOL = Draft(text="Our team", account_type="school", account_handle="@KJSKnaresboro")
Box = tuple[int, int, int, int]  # top, right, bottom, left


def photos_in(folders: list[str]) -> list[Path]:
    out = []
    for folder in folders:
        out += sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"))
    # the same photo twice (Linzaer's imgs/ holds two pairs of identical files) counts once
    seen, unique = set(), []
    for p in out:
        key = p.read_bytes()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def policy_for(finder: str):  # noqa: ANN201
    policy = default_policy()
    return replace(policy, face_settings={**policy.face_settings, "finder": finder})


def _same(a: Box, b: Box) -> bool:
    cy, cx = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    dy, dx = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return (b[0] <= cy <= b[2] and b[3] <= cx <= b[1]) or (a[0] <= dy <= a[2] and a[3] <= dx <= a[1])


def pool(found: dict[str, list[Box]]) -> list[tuple[Box, set[str]]]:
    """Every face found by any method, with the methods that found it."""
    pooled: list[tuple[Box, set[str]]] = []
    for method, boxes in found.items():
        for box in boxes:
            match = next((p for p in pooled if _same(p[0], box)), None)
            if match is None:
                pooled.append((box, {method}))
            else:
                match[1].add(method)
    return pooled


def methods(plain: bool) -> dict[str, object]:
    yunet, classic = face_settings(policy_for("yunet")), face_settings(policy_for("haar-hog"))
    out = {"yunet": lambda rgb: [f.box for f in find_faces(rgb, yunet)],
           "haar-hog": lambda rgb: [f.box for f in find_faces(rgb, classic)]}
    if plain:
        import face_recognition
        out["plain(2)"] = lambda rgb: face_recognition.face_locations(rgb, 2)
    return out


def recall_table(paths: list[Path], plain: bool) -> None:
    found_by = methods(plain)
    tally = {m: np.zeros((len(SIZES), 2), dtype=int) for m in found_by}
    times = {m: [] for m in found_by}
    only = {m: 0 for m in found_by}
    mp = 0.0
    for path in paths:
        rgb = decode(path.read_bytes()).rgb
        mp += rgb.shape[0] * rgb.shape[1] / 1e6
        found = {}
        for m, fn in found_by.items():
            t = time.process_time()
            found[m] = fn(rgb)
            times[m].append(time.process_time() - t)
        pooled = pool(found)
        for box, who in pooled:
            width = box[1] - box[3]
            k = next(i for i, (lo, hi) in enumerate(SIZES) if lo <= width < hi)
            for m in found_by:
                tally[m][k] += (m in who, 1)
            if len(who) == 1:
                only[next(iter(who))] += 1
        print(f"  {path.name}: {len(pooled)} pooled faces; " + ", ".join(f"{m} {len(b)}" for m, b in found.items()))
    print(f"\n{len(paths)} photos, {mp:.1f} MP in all; recall of the pooled faces by width (HOG-framed px):")
    print("  " + f"{'method':10}" + "".join(f"{f'{lo}-{hi} px' if hi < 10_000 else f'>= {lo} px':>16}" for lo, hi in SIZES)
          + f"{'>= 20 px':>16}{'found alone':>13}{'CPU s/photo':>13}{'CPU s/MP':>10}")
    for m, t in tally.items():
        cells = "".join(f"{f'{a}/{n} {a / n:.0%}' if n else '-':>16}" for a, n in t)
        a20, n20 = t[1:].sum(axis=0)
        print(f"  {m:10}{cells}{f'{a20}/{n20} {a20 / max(n20, 1):.1%}':>16}{only[m]:>13}"
              f"{statistics.mean(times[m]):>13.2f}{sum(times[m]) / mp:>10.2f}")


def twelve_mp(path: Path) -> bytes:
    img = Image.open(path).convert("RGB")
    scale = (12e6 / (img.width * img.height)) ** 0.5
    out = io.BytesIO()
    img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS).save(out, "JPEG", quality=90)
    return out.getvalue()


def timing_12mp(paths: list[Path], repeat: int) -> None:
    """The whole check (school account, 10,000 templates) of each photo upscaled to 12 MP."""
    from bench.check_images import big_index
    from image_checks import ImageInput, check_images
    from image_checks.face_detection import warm_up

    warm_up()
    index = big_index()
    policies = {"yunet": policy_for("yunet"), "haar-hog": policy_for("haar-hog")}
    results = {m: [] for m in policies}
    print(f"\nwhole check of each photo upscaled to 12 MP (median of {repeat}; wall s / CPU s; faces found):")
    for path in paths:
        data = twelve_mp(path)
        line = f"  {path.name:28}"
        for m, policy in policies.items():
            runs = []
            for _ in range(repeat):
                w, c = time.perf_counter(), time.process_time()
                findings = check_images([ImageInput(0, data)], SCHOOL, policy, index)
                runs.append((time.perf_counter() - w, time.process_time() - c))
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            faces = len(find_faces(decode(data).rgb, face_settings(policy)))
            results[m].append((wall, cpu))
            line += f"  {m} {wall:5.2f} / {cpu:5.2f} s ({faces:3} faces, {len(findings)} findings)"
        print(line, flush=True)
    for m, rows in results.items():
        wall, cpu = [r[0] for r in rows], [r[1] for r in rows]
        print(f"  {m:9} wall p50 {statistics.median(wall):.2f} s, worst {max(wall):.2f} s; CPU p50 "
              f"{statistics.median(cpu):.2f} s, worst {max(cpu):.2f} s; {statistics.median(cpu) / 12:.3f} CPU s/MP")
    y, h = results["yunet"], results["haar-hog"]
    ratios_w = [a[0] / b[0] for a, b in zip(y, h)]
    ratios_c = [a[1] / b[1] for a, b in zip(y, h)]
    print(f"  yunet / haar-hog, same run: wall p50 {statistics.median(ratios_w):.2f}x (worst photo "
          f"{max(ratios_w):.2f}x), CPU p50 {statistics.median(ratios_c):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", action="append", required=True, help="a folder of real group photos")
    parser.add_argument("--plain", action="store_true", help="also face_recognition's face_locations(img, 2)")
    parser.add_argument("--twelve-mp", action="store_true", help="also time the whole check at 12 MP")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="at most this many photos")
    args = parser.parse_args()
    paths = photos_in(args.photos)[: args.limit or None]
    recall_table(paths, args.plain)
    if args.twelve_mp:
        timing_12mp(paths, args.repeat)


if __name__ == "__main__":
    main()
