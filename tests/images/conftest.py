"""Fixtures shared by the face-network tests."""
from __future__ import annotations

import numpy as np
import pytest

from image_checks.decode import decode
from image_checks.face_detection import find_faces
from tests.support.image_synth import lfw_people


@pytest.fixture(scope="session")
def people_crops() -> dict[str, list[np.ndarray]]:
    """Aligned 112x112 crops of two photos each of five LFW people (central face of each photo)."""
    crops: dict[str, list[np.ndarray]] = {}
    for name, photos in list(lfw_people(4).items())[:5]:
        for photo in photos[:2]:
            faces = [f for f in find_faces(decode(photo.read_bytes()).rgb) if f.arc_chip is not None]
            face = min(faces, key=lambda f: abs((f.box[1] + f.box[3]) / 2 - 125) + abs((f.box[0] + f.box[2]) / 2 - 125))
            crops.setdefault(name, []).append(face.arc_chip)
    return crops
