"""Latency of the image checks on this machine (figures printed, never asserted).

    .venv/bin/python bench/check_images.py [--plain] [--repeat 3] [--sweep] [--finders yunet,haar-hog]
                                           [--photos DIR]

1. A 12 MP JPEG class photo with 30 real faces (LFW, composited at ~26 px and ~50 px wide, and
   at ~26 px in front of a hedge: texture costs OpenCV's Haar cascade several times more):
   end-to-end `check_images` latency on a school account with a 10,000-template list, how many
   of the 30 faces were found, and where the time goes (decode, detect, encode, match).
2. A typical 1600x1200 photo with 3 faces (~150 px).
3. Matching alone: `NoPublishIndex.nearest` against 10,000 templates, per face.
`--plain` also times the plain face_recognition recipe (face_locations, one upsample, full image).
`--sweep` also prints faces found over sizes (24-50 px), layouts (seeds), a textured background and
tilted heads, and the faces "found" in 12 MP photos of nobody (each one a false detection).
"""
from __future__ import annotations

import argparse
import io
from dataclasses import replace
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import dlib  # noqa: E402
import onnxruntime  # noqa: E402
import numpy as np  # noqa: E402

from checks_common import Draft, default_policy  # noqa: E402
from image_checks import ImageInput, check_images  # noqa: E402
from image_checks.analyse import encode_for, face_settings  # noqa: E402
from image_checks.decode import decode  # noqa: E402
from image_checks.encoder import warm_up  # noqa: E402
from image_checks.face_arc import ARC_SIZE, encode_arc, unit  # noqa: E402
from image_checks.face_detection import find_faces  # noqa: E402
from image_checks.onnx_session import threads_wanted  # noqa: E402
from image_checks.face_sface import SFACE_SIZE  # noqa: E402
from image_checks.index import DEFAULT_NETWORK, NoPublishIndex  # noqa: E402
from tests.support.image_synth import FACELESS_SCENES, faceless_scene, found_share, group_photo, lfw_people  # noqa: E402

SCHOOL = Draft(text="Class photo", account_type="school", account_handle="@KJSKnaresboro")


def big_index(n: int = 10_000, seed: int = 0) -> NoPublishIndex:
    """n random templates of n/2 pupils, as enrolled now: a dlib encoding (spread of real ones), an
    ArcFace and an SFace one (unit vectors) each."""
    rng = np.random.default_rng(seed)
    matrix = rng.normal(0, 0.09, (n, 128))
    ids = np.repeat(np.arange(n // 2), 2)[:n]
    return NoPublishIndex(matrix, ids, arc_matrix=unit(rng.normal(0, 1, (n, ARC_SIZE))), arc_ids=ids,
                          sface_matrix=unit(rng.normal(0, 1, (n, SFACE_SIZE))), sface_ids=ids)


def timed(fn, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def stages(data: bytes, policy, index: NoPublishIndex) -> dict[str, float]:  # noqa: ANN001
    settings = face_settings(policy)
    t0 = time.perf_counter()
    rgb = decode(data).rgb
    t1 = time.perf_counter()
    faces = find_faces(rgb, settings)
    t2 = time.perf_counter()
    index = index.for_network(policy.face_setting("network", DEFAULT_NETWORK))
    sface, arc, dlib_encodings = encode_for(index, [f for f in faces if f.arc_chip is not None])
    t3 = time.perf_counter()
    index.nearest(arc, dlib_encodings, sface)
    t4 = time.perf_counter()
    return {"decode": t1 - t0, "detect": t2 - t1, "encode": t3 - t2, "match": t4 - t3, "faces": len(faces)}


def group(face_px: int, size=(4000, 3000), n=30, seed=1, **kwargs):  # noqa: ANN001, ANN201, ANN003
    people = list(lfw_people(1).items())
    sources = [photos[0] for _, photos in people[seed::max(1, len(people) // n)][:n]]
    return group_photo(sources, size=size, face_px=face_px, seed=seed, **kwargs)


def detection_sweep(policy) -> None:  # noqa: ANN001
    """Faces found (and false ones) over several layouts, sizes, textures and tilts; detection time
    (decode + detect + landmarks, no encoding) and CPU time, since Haar's cost depends on texture."""
    settings = face_settings(policy)
    print("\ndetection sweep (12 MP JPEG q90, 30 faces; time = decode + detect, CPU time in brackets):")
    cases = [(px, seed, {}) for px in (24, 26, 35, 50) for seed in (1, 2, 3, 4)]
    cases += [(px, seed, {"background": "foliage"}) for px in (24, 50) for seed in (5, 6)]
    cases += [(px, seed, {"tilt_deg": 15.0}) for px in (24, 35) for seed in (7, 8)]
    cases += [(px, seed, {"tilt_deg": 20.0}) for px in (24, 35) for seed in (7, 8)]
    for px, seed, kwargs in cases:
        photo = group(px, seed=seed, **kwargs)
        data = photo.jpeg(90)
        wall, cpu = time.perf_counter(), time.process_time()
        faces = find_faces(decode(data).rgb, settings)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        found, false = found_share(photo.truth, [f.box for f in faces], photo.pasted)
        label = ", ".join(f"{k} {v}" for k, v in kwargs.items()) or "plain background"
        print(f"  ~{px} px, seed {seed}, {label}: found {found}/30, {false} false; {wall:.2f} s ({cpu:.2f} s CPU)")
    print("faceless 12 MP scenes (every face found is false):")
    for name in FACELESS_SCENES:
        out = io.BytesIO()
        faceless_scene(name).save(out, "JPEG", quality=90)
        wall, cpu = time.perf_counter(), time.process_time()
        faces = find_faces(decode(out.getvalue()).rgb, settings)
        print(f"  {name}: {len(faces)} faces; {time.perf_counter() - wall:.2f} s ({time.process_time() - cpu:.2f} s CPU)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plain", action="store_true", help="also time face_recognition.face_locations(img, 1)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sweep", action="store_true", help="also the detection sweep: sizes, seeds, textures, tilts, faceless scenes")
    parser.add_argument("--finders", default="yunet",
                        help="comma-separated [faces] finder values to time side by side (yunet, haar-hog)")
    parser.add_argument("--photos", action="append", default=[],
                        help="folder of real group photos: recall by size against the pooled reference and "
                             "the whole check at 12 MP, both finders (bench/real_photos.py)")
    args = parser.parse_args()
    if args.photos:
        from bench.real_photos import photos_in, recall_table, timing_12mp
        paths = photos_in(args.photos)
        recall_table(paths, args.plain)
        timing_12mp(paths, args.repeat)
    base = default_policy()
    for finder in args.finders.split(","):
        print(f"\n== finder = {finder} ==")
        run(replace(base, face_settings={**base.face_settings, "finder": finder}), args)


def run(policy, args) -> None:  # noqa: ANN001
    index = big_index()
    warm_up()
    print(f"encoding: the {policy.face_setting('network', DEFAULT_NETWORK)} network on onnxruntime {onnxruntime.__version__}, {threads_wanted()} threads; "
          f"detection: dlib {dlib.__version__}, OpenCV {cv2.__version__}")
    for face_px, background in ((26, "plain"), (50, "plain"), (26, "foliage")):
        photo = group(face_px, background=background)
        data = photo.jpeg(92)
        check_images([ImageInput(0, data)], SCHOOL, policy, index)  # warm the models
        cpu = time.process_time()
        latency, _ = timed(lambda: check_images([ImageInput(0, data)], SCHOOL, policy, index), args.repeat)
        cpu = (time.process_time() - cpu) / args.repeat
        rgb = decode(data).rgb
        faces = find_faces(rgb, face_settings(policy))
        found, false = found_share(photo.truth, [f.box for f in faces], photo.pasted)
        st = stages(data, policy, index)
        print(f"12 MP JPEG ({len(data) // 1024} KB), 30 faces of ~{face_px} px, {background} background: "
              f"{latency:.2f} s end to end ({cpu:.2f} s CPU) "
              f"(median of {args.repeat}); found {found}/30, {false} false; "
              + ", ".join(f"{k} {v:.2f} s" for k, v in st.items() if k != "faces"))
        if args.plain:
            import face_recognition
            t = time.perf_counter()
            locs = face_recognition.face_locations(rgb, 1)
            plain_found, _ = found_share(photo.truth, locs)
            print(f"   plain recipe face_locations(img, 1): found {plain_found}/30 in {time.perf_counter() - t:.1f} s")
    photo = group(150, size=(1600, 1200), n=3, seed=5)
    data = photo.jpeg(90)
    latency, _ = timed(lambda: check_images([ImageInput(0, data)], SCHOOL, policy, index), args.repeat)
    faces = find_faces(decode(data).rgb, face_settings(policy))
    found, false = found_share(photo.truth, [f.box for f in faces], photo.pasted)
    print(f"1600x1200 JPEG, 3 faces of ~150 px: {latency * 1000:.0f} ms end to end; found {found}/3, {false} false; "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in stages(data, policy, index).items() if k != "faces"))
    rng = np.random.default_rng(1)
    matching = index.for_network(policy.face_setting("network", DEFAULT_NETWORK))
    size = SFACE_SIZE if matching.needs_sface else ARC_SIZE
    one, thirty = unit(rng.normal(0, 1, (1, size))), unit(rng.normal(0, 1, (30, size)))
    faces_of = (lambda e: {"sface_encodings": e}) if matching.needs_sface else (lambda e: {"arc_encodings": e})
    t1, _ = timed(lambda: matching.nearest(**faces_of(one)), 200)
    t30, _ = timed(lambda: matching.nearest(**faces_of(thirty)), 50)
    print(f"matching against {len(index):,} templates: {t1 * 1000:.2f} ms for one face, "
          f"{t30 * 1000 / 30:.2f} ms per face in a batch of 30")
    if args.sweep:
        detection_sweep(policy)


if __name__ == "__main__":
    main()
