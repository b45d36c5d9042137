"""The text checks' name matcher and the image checks' face index are what the server expects."""
from __future__ import annotations

import numpy as np

from image_checks.index import NoPublishIndex
from server.nopublish.protocols import FaceIndex, NameMatcher
from text_checks.names import NoPublishNames


def test_name_matcher_protocol():
    names = NoPublishNames([(1, "Samantha Jones")])
    assert isinstance(names, NameMatcher)
    assert [pupil for _, _, pupil in names.find("Well done Samantha Jones!")] == [1]


def test_face_index_protocol():
    dlib = np.zeros(128, dtype=np.float64).tobytes()
    index = NoPublishIndex.from_rows([(7, dlib, None)], pending_manual=2)
    assert isinstance(index, FaceIndex)
    assert len(index) == 1 and index.pending_manual == 2


def test_a_class_without_find_is_not_a_name_matcher():
    class Sized:
        def __len__(self) -> int:
            return 0

    assert not isinstance(Sized(), NameMatcher)
