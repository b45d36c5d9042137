"""NoPublishIndex: ArcFace centroids, dlib-only pupils (centroids, cohort offsets, scaled) beside them,
one vectorised match per batch; rebuilt on change."""
from __future__ import annotations

import time

import numpy as np
import pytest

from image_checks.face_arc import ARC_SIZE, arc_to_bytes, unit
from image_checks.face_sface import SFACE_SIZE, sface_to_bytes
from image_checks.index import (COHORT_NEIGHBOURS, COHORT_WEIGHT, LEGACY_SCALE, MAX_OFFSET, SFACE_SHIFT, Cohort,
                                 NoPublishIndex, default_cohort, encoding_from_bytes)
from tests.support.helpers import CONSENTED

NO_ARC = np.zeros((0, ARC_SIZE))


def rows_for(matrix: np.ndarray, ids: list[int]) -> list[tuple[int, bytes]]:
    return [(pid, row.astype(np.float64).tobytes()) for pid, row in zip(ids, matrix)]


def brute_force(templates: np.ndarray, ids: list[int], face: np.ndarray, cohort: Cohort | None) -> tuple[float, int]:
    """The index's definition, one pupil at a time: centroid distance minus the clipped cohort offset."""
    best = (np.inf, -1)
    for pid in sorted(set(ids)):
        centroid = templates[[i for i, x in enumerate(ids) if x == pid]].mean(axis=0)
        offset = 0.0
        if cohort is not None:
            near = np.sort(np.linalg.norm(cohort.encodings - centroid, axis=1))[:COHORT_NEIGHBOURS].mean()
            offset = float(np.clip(COHORT_WEIGHT * (near - cohort.typical), -MAX_OFFSET, MAX_OFFSET))
        score = float(np.linalg.norm(face - centroid)) - offset
        if score < best[0]:
            best = (score, pid)
    return best


@pytest.mark.parametrize("with_cohort", [False, True])
def test_nearest_agrees_with_brute_force(with_cohort):
    rng = np.random.default_rng(0)
    templates = rng.normal(0, 0.1, (500, 128))
    ids = [int(x) for x in rng.integers(1, 120, 500)]
    cohort = Cohort.from_people(rng.normal(0, 0.1, (60, 128)), np.repeat(np.arange(20), 3)) if with_cohort else None
    index = NoPublishIndex.from_rows(rows_for(templates, ids), cohort=cohort)
    faces = rng.normal(0, 0.1, (7, 128))
    distances, pupils = index.nearest(np.zeros((len(faces), ARC_SIZE)), faces)
    for face, d, p in zip(faces, distances, pupils):
        expected, pid = brute_force(templates, ids, face, cohort)
        assert d == pytest.approx(expected * LEGACY_SCALE, abs=1e-9)
        assert p == pid


def test_the_mean_of_a_pupils_templates_counts():
    a = np.zeros(128)
    b = np.zeros(128)
    b[0] = 1.0
    index = NoPublishIndex.from_rows(rows_for(np.stack([a, b, b + 0.5]), [7, 7, 9]), cohort=None)
    probe = (a + b) / 2
    probe[1] = 0.1
    d, p = index.nearest(np.zeros((1, ARC_SIZE)), probe[None, :])
    assert p[0] == 7 and d[0] == pytest.approx(0.1 * LEGACY_SCALE)
    assert len(index) == 3 and index.pupil_count == 2


def test_a_pupil_with_a_common_look_scores_stricter():
    """Two pupils equally far from a face: the one with cohort faces close by scores higher."""
    common, rare, face = np.zeros(128), np.zeros(128), np.zeros(128)
    common[0], rare[0] = 1.0, -1.0
    crowd = common + np.random.default_rng(2).normal(0, 0.02, (6, 128))
    cohort = Cohort(np.vstack([crowd, np.full((6, 128), 5.0)]), typical=0.5)
    index = NoPublishIndex.from_rows(rows_for(np.stack([common, rare]), [1, 2]), cohort=cohort)
    scores = index.scores(face[None, :])[0]
    assert scores[0] > 1.0 > scores[1]
    assert np.abs(index.offsets).max() == pytest.approx(MAX_OFFSET)  # both clipped: never more than that


def test_shipped_cohort_is_used_by_default_and_keeps_offsets_small():
    cohort = default_cohort()
    assert cohort is not None and cohort.encodings.shape[1] == 128 and 0.4 < cohort.typical < 0.8
    templates = np.random.default_rng(3).normal(0, 0.09, (40, 128))
    with_cohort = NoPublishIndex.from_rows(rows_for(templates, list(range(20)) * 2))
    without = NoPublishIndex.from_rows(rows_for(templates, list(range(20)) * 2), cohort=None)
    assert np.abs(with_cohort.offsets).max() <= MAX_OFFSET and not without.offsets.any()
    face = templates[:1] + 0.01
    arc = np.zeros((1, ARC_SIZE))
    assert abs(with_cohort.nearest(arc, face)[0][0] - without.nearest(arc, face)[0][0]) <= (MAX_OFFSET + 1e-9) * LEGACY_SCALE


def test_cohort_typical_nearness_is_measured_against_other_people():
    encodings = np.zeros((4, 128))
    encodings[1, 0] = 0.2  # person 0: two faces 0.2 apart; person 1: two faces at 1.0 and 1.4
    encodings[2, 0], encodings[3, 0] = 1.0, 1.4
    cohort = Cohort.from_people(encodings, np.array([0, 0, 1, 1]), k=1)
    # person 0's centroid (0.1) to person 1's nearest face: 0.9; person 1's (1.2) to person 0's: 1.0
    assert cohort.typical == pytest.approx(0.95)
    with pytest.raises(ValueError):
        Cohort.from_people(encodings, np.arange(4))


def test_empty_index_matches_nobody():
    index = NoPublishIndex.from_rows([], pending_manual=2)
    d, p = index.nearest(np.zeros((3, ARC_SIZE)))
    assert np.isinf(d).all() and (p == -1).all() and index.empty and index.pending_manual == 2
    assert not index.needs_dlib


def arc_rows(matrix: np.ndarray, ids: list[int]) -> list[tuple[int, bytes, bytes]]:
    """Templates as enrolled now: a dlib encoding (unused here) and an ArcFace one."""
    return [(pid, np.zeros(128).tobytes(), arc_to_bytes(row)) for pid, row in zip(ids, matrix)]


def test_arcface_pupils_are_scored_by_distance_to_their_unit_centroid():
    rng = np.random.default_rng(4)
    templates = unit(rng.normal(0, 1, (300, ARC_SIZE))).astype(np.float32)
    ids = [int(x) for x in rng.integers(1, 90, 300)]
    index = NoPublishIndex.from_rows(arc_rows(templates, ids))
    faces = unit(rng.normal(0, 1, (5, ARC_SIZE)))
    distances, pupils = index.nearest(faces)  # no dlib encodings needed: every pupil has ArcFace ones
    assert not index.needs_dlib and index.pupil_count == len(set(ids))
    for face, d, p in zip(faces, distances, pupils):
        expected = min((float(np.linalg.norm(face - unit(templates[[i for i, x in enumerate(ids) if x == pid]]
                                                          .astype(np.float64).mean(axis=0)))), pid)
                       for pid in sorted(set(ids)))
        assert d == pytest.approx(expected[0], abs=1e-6) and p == expected[1]


def test_dlib_only_pupils_are_scored_beside_arcface_ones_on_one_scale():
    """A pupil enrolled before the ArcFace network keeps being matched, by dlib's network, scaled."""
    arc_face = unit(np.eye(1, ARC_SIZE))
    old_template = np.full(128, 0.05)
    rows = arc_rows(arc_face, [1]) + [(2, old_template.tobytes(), None)]
    index = NoPublishIndex.from_rows(rows, cohort=None)
    assert index.needs_dlib and index.pupil_count == 2
    with pytest.raises(ValueError, match="dlib"):
        index.nearest(arc_face)
    far_arc = unit(np.eye(1, ARC_SIZE, 5))  # sqrt(2) from pupil 1
    d, p = index.nearest(far_arc, (old_template + 0.01)[None, :])
    assert p[0] == 2 and d[0] == pytest.approx(np.sqrt(128) * 0.01 * LEGACY_SCALE)
    d, p = index.nearest(arc_face, np.full((1, 128), 9.0))
    assert p[0] == 1 and d[0] == pytest.approx(0.0, abs=1e-6)
    # a pupil with any ArcFace template is scored by ArcFace only, even if older templates remain
    mixed = NoPublishIndex.from_rows(rows + [(2, old_template.tobytes(), arc_to_bytes(far_arc[0]))], cohort=None)
    assert not mixed.needs_dlib and list(mixed.arc_pupils) == [1, 2]


def test_bad_template_bytes_are_refused():
    with pytest.raises(ValueError):
        NoPublishIndex.from_rows([(1, b"\x00" * 100)])
    with pytest.raises(ValueError):
        NoPublishIndex.from_rows([(1, np.ones(128).tobytes(), b"\x00" * 100)])
    assert encoding_from_bytes(np.ones(128).tobytes()).shape == (128,)


def test_near_duplicate_helper():
    base = np.random.default_rng(1).normal(0, 0.1, 128)
    index = NoPublishIndex.from_rows(rows_for(base[None, :], [3]))
    assert index.near_duplicate(base + 0.001)
    assert not index.near_duplicate(base + 0.1)
    assert not index.near_duplicate(base + 0.001, pupil_id=4)


# --- rebuilt when the list changes (through NoPublishState, as every worker does) ----------

@pytest.fixture(scope="module")
def state_app(tmp_path_factory):
    from tests.support.helpers import make_test_app
    app, cleanup = make_test_app(tmp_path_factory.mktemp("index_state"), "sqlite")
    yield app
    cleanup()


def test_index_is_rebuilt_when_the_version_counter_moves(state_app, monkeypatch):
    import server.nopublish.state as nopublish
    from server.db import session_factory
    from server.nopublish.state import bump_version
    from server.models import FaceTemplate, Pupil

    monkeypatch.setattr(nopublish, "POLL_SECONDS", 0.05)
    state = nopublish.NoPublishState()  # a second worker's own cache
    with state_app.app_context(), session_factory(state_app)() as db:
        first = state.index(db)
        assert isinstance(first, NoPublishIndex) and len(first) == 0
        assert state.index(db) is first  # unchanged list: no rebuild
        pupil = Pupil(display_name="Someone", **CONSENTED)
        db.add(pupil)
        db.flush()
        db.add(FaceTemplate(pupil_id=pupil.id, encoding=np.full(128, 0.05).tobytes()))
        bump_version(db)
        db.commit()
        time.sleep(0.06)
        second = state.index(db)
        assert second is not first and len(second) == 1
        d, p = second.nearest(np.zeros((1, ARC_SIZE)), np.full((1, 128), 0.05))
        assert p[0] == pupil.id and abs(d[0]) <= (MAX_OFFSET + 1e-6) * LEGACY_SCALE  # 0, less the cohort offset
        db.delete(pupil)
        bump_version(db)
        db.commit()
        time.sleep(0.06)
        assert len(state.index(db)) == 0


def test_with_sface_each_pupil_is_scored_by_the_best_network_they_have_templates_of():
    """network = "sface": SFace for pupils with SFace templates, then ArcFace, then dlib; one scale."""
    sface_face, arc_face, old_template = unit(np.eye(1, SFACE_SIZE)), unit(np.eye(1, ARC_SIZE)), np.full(128, 0.05)
    rows = [(1, np.zeros(128).tobytes(), arc_to_bytes(unit(np.eye(1, ARC_SIZE, 7))[0]), sface_to_bytes(sface_face[0])),
            (2, np.zeros(128).tobytes(), arc_to_bytes(arc_face[0]), None),
            (3, old_template.tobytes(), None, None)]
    built = NoPublishIndex.from_rows(rows, cohort=None)
    index = built.for_network("sface")
    assert index is built.for_network("sface") and index.for_network("arcface") is built  # built once each
    assert list(index.sface_pupils) == [1] and list(index.arc_pupils) == [2] and list(index.pupils) == [3]
    assert index.needs_sface and index.needs_arc and index.needs_dlib and index.pupil_count == 3
    with pytest.raises(ValueError, match="SFace"):
        index.nearest(arc_face, old_template[None, :])
    far_sface, far_arc = unit(np.eye(1, SFACE_SIZE, 5)), unit(np.eye(1, ARC_SIZE, 5))
    d, p = index.nearest(far_arc, np.full((1, 128), 9.0), sface_face)
    assert p[0] == 1 and d[0] == pytest.approx(SFACE_SHIFT, abs=1e-6)  # SFace distance 0 on the policy scale
    d, p = index.nearest(arc_face, np.full((1, 128), 9.0), far_sface)
    assert p[0] == 2 and d[0] == pytest.approx(0.0, abs=1e-6)  # no SFace template: ArcFace scores pupil 2
    d, p = index.nearest(far_arc, (old_template + 0.01)[None, :], far_sface)
    assert p[0] == 3 and d[0] == pytest.approx(np.sqrt(128) * 0.01 * LEGACY_SCALE)
    # network = "arcface" leaves the SFace templates unused: pupil 1 is scored by their ArcFace one
    arcface = built.for_network("arcface")
    assert not arcface.needs_sface and sorted(arcface.arc_pupils) == [1, 2]
    assert built.for_network("dlib").pupil_count == 3 and not built.for_network("dlib").needs_arc


def test_an_unknown_network_is_refused_by_the_index():
    with pytest.raises(ValueError, match="network"):
        NoPublishIndex(np.zeros((0, 128)), np.zeros(0), network="facenet")
