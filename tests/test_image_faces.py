"""Face finding: small faces in a 12 MP class photo, boxes in the uploaded image's pixels, quality."""
from __future__ import annotations

import pytest

from image_checks.decode import decode
from image_checks.faces import FaceSettings, dedupe, find_faces
from tests.image_synth import found_share, group_photo, lfw_people


@pytest.fixture(scope="module")
def class_photo():
    people = lfw_people(1)
    names = sorted(people)
    return group_photo([people[n][0] for n in names[5::9][:30]], size=(4000, 3000), face_px=28, seed=11)


def test_small_faces_in_a_12_megapixel_class_photo(class_photo):
    faces = find_faces(decode(class_photo.jpeg(90)).rgb, FaceSettings())
    found, false = found_share(class_photo.truth, [f.box for f in faces])
    assert found >= 26 and false == 0, (found, false)
    for face in faces:
        top, right, bottom, left = face.box
        assert 0 <= left < right <= 4000 and 0 <= top < bottom <= 3000
        assert face.quality in {"too_small", "small"}  # ~28 px: found, but never "clear"
        assert (face.chip is None) == (face.quality == "too_small")


def test_dedupe_keeps_one_box_per_face():
    boxes = [(10, 60, 60, 10), (12, 62, 61, 11), (200, 260, 260, 200), (20, 40, 40, 20)]
    assert sorted(dedupe(boxes)) == [(10, 60, 60, 10), (200, 260, 260, 200)]
