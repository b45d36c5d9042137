"""Face finding: small faces in a 12 MP class photo, boxes in the uploaded image's pixels, quality."""
from __future__ import annotations

import pytest

from image_checks.decode import decode
from image_checks.face_detection import FaceSettings, dedupe, find_faces, group_windows
from tests.support.image_synth import faceless_scene, found_share, group_photo, lfw_people


def _class(face_px: int, seed: int, n: int = 30, size: tuple[int, int] = (4000, 3000), **kwargs):  # noqa: ANN202
    """The benchmark's class photo: every len/n-th LFW person from `seed` on."""
    people = list(lfw_people(1).values())
    sources = [photos[0] for photos in people[seed::max(1, len(people) // n)][:n]]
    return group_photo(sources, size=size, face_px=face_px, seed=seed, **kwargs)


@pytest.fixture(scope="module")
def class_photo():
    # seed 1 holds the faces the Haar-only proposer missed: glasses (Greenspan, Caine), sunglasses
    # (Hootie Johnson) and a slight tilt, at 24 px wide
    return _class(face_px=24, seed=1)


def test_every_small_face_in_a_12_megapixel_class_photo(class_photo):
    faces = find_faces(decode(class_photo.jpeg(90)).rgb, FaceSettings())
    found, false = found_share(class_photo.truth, [f.box for f in faces], class_photo.pasted)
    assert (found, false) == (30, 0)
    for face in faces:
        top, right, bottom, left = face.box
        assert 0 <= left < right <= 4000 and 0 <= top < bottom <= 3000
        assert face.quality in {"too_small", "small"}  # ~24 px: found, but never "clear"
        assert (face.chip is None) == (face.quality == "too_small")


def test_small_faces_in_front_of_a_hedge():
    # texture behind the pupils: many more Haar windows to group and confirm, none of them a face
    photo = _class(face_px=26, seed=5, n=12, size=(2000, 1500), background="foliage")
    faces = find_faces(decode(photo.jpeg(90)).rgb, FaceSettings())
    assert found_share(photo.truth, [f.box for f in faces], photo.pasted) == (12, 0)


def test_heads_tilted_up_to_15_degrees():
    photo = _class(face_px=26, seed=7, n=12, size=(2000, 1500), tilt_deg=15)
    faces = find_faces(decode(photo.jpeg(90)).rgb, FaceSettings())
    assert found_share(photo.truth, [f.box for f in faces], photo.pasted) == (12, 0)


@pytest.mark.parametrize("scene", ["landscape", "foliage", "bricks"])
def test_no_face_in_a_photo_without_people(scene):
    assert find_faces(decode(_jpeg(faceless_scene(scene, (1200, 900), seed=3))).rgb) == []


def _jpeg(image) -> bytes:  # noqa: ANN001
    import io

    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_group_windows_keeps_single_windows_and_faces_inside_a_big_box():
    windows = [(100, 100, 24, 24), (101, 99, 25, 25),  # a face seen twice
               (400, 400, 24, 24),  # a face seen once (glasses, say)
               (80, 80, 120, 120), (90, 500, 24, 24)]  # a big false box around the first face; clutter
    boxes = sorted(group_windows(windows))
    assert len(boxes) == 4
    assert (99, 125, 124, 100) in boxes  # averaged: top, right, bottom, left
    assert (400, 424, 424, 400) in boxes and (80, 200, 200, 80) in boxes


def test_dedupe_keeps_one_box_per_face():
    boxes = [(10, 60, 60, 10), (12, 62, 61, 11), (200, 260, 260, 200), (20, 40, 40, 20)]
    assert sorted(dedupe(boxes)) == [(10, 60, 60, 10), (200, 260, 260, 200)]


def test_warm_up_loads_the_detectors_in_every_detection_thread():
    import threading

    from image_checks import face_detection

    face_detection.warm_up()
    both = threading.Barrier(2)

    def loaded(_: int) -> set[str]:
        names = {n for n in ("hog", "haar", "haar_alt2") if getattr(face_detection._Models._local, n, None) is not None}
        both.wait(timeout=5)
        return names

    assert list(face_detection._pool().map(loaded, range(2))) == [{"hog", "haar", "haar_alt2"}] * 2
    assert face_detection.MmodNet._instance is not None  # the second-opinion CNN (one session for all threads)
