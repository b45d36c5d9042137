"""NoPublishIndex: one matrix, vectorised nearest match, several templates per pupil; rebuilt on change."""
from __future__ import annotations

import time

import numpy as np
import pytest

from image_checks.index import NoPublishIndex, encoding_from_bytes


def rows_for(matrix: np.ndarray, ids: list[int]) -> list[tuple[int, bytes]]:
    return [(pid, row.astype(np.float64).tobytes()) for pid, row in zip(ids, matrix)]


def test_nearest_agrees_with_brute_force():
    rng = np.random.default_rng(0)
    templates = rng.normal(0, 0.1, (500, 128))
    ids = list(rng.integers(1, 120, 500))
    index = NoPublishIndex.from_rows(rows_for(templates, ids))
    faces = rng.normal(0, 0.1, (7, 128))
    distances, pupils = index.nearest(faces)
    for face, d, p in zip(faces, distances, pupils):
        brute = np.linalg.norm(templates - face, axis=1)
        assert d == pytest.approx(brute.min(), abs=1e-9)
        assert p == ids[int(brute.argmin())]


def test_nearest_template_of_a_pupil_counts():
    a = np.zeros(128)
    b = np.zeros(128)
    b[0] = 1.0
    index = NoPublishIndex.from_rows(rows_for(np.stack([a, b, b + 0.5]), [7, 7, 9]))
    probe = b.copy()
    probe[1] = 0.1
    d, p = index.nearest(probe[None, :])
    assert p[0] == 7 and d[0] == pytest.approx(0.1)
    assert len(index) == 3 and index.pupil_count == 2


def test_empty_index_matches_nobody():
    index = NoPublishIndex.from_rows([], pending_manual=2)
    d, p = index.nearest(np.zeros((3, 128)))
    assert np.isinf(d).all() and (p == -1).all() and index.empty and index.pending_manual == 2


def test_bad_template_bytes_are_refused():
    with pytest.raises(ValueError):
        NoPublishIndex.from_rows([(1, b"\x00" * 100)])
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
    from tests.helpers import make_test_app
    app, cleanup = make_test_app(tmp_path_factory.mktemp("index_state"), "sqlite")
    yield app
    cleanup()


def test_index_is_rebuilt_when_the_version_counter_moves(state_app, monkeypatch):
    import server.nopublish as nopublish
    from server.db import bump_counter, session_factory
    from server.models import FaceTemplate, Pupil

    monkeypatch.setattr(nopublish, "POLL_SECONDS", 0.05)
    state = nopublish.NoPublishState()  # a second worker's own cache
    with state_app.app_context(), session_factory(state_app)() as db:
        first = state.index(db)
        assert isinstance(first, NoPublishIndex) and len(first) == 0
        assert state.index(db) is first  # unchanged list: no rebuild
        pupil = Pupil(display_name="Someone")
        db.add(pupil)
        db.flush()
        db.add(FaceTemplate(pupil_id=pupil.id, encoding=np.full(128, 0.05).tobytes()))
        bump_counter(db, "nopublish_version")
        db.commit()
        time.sleep(0.06)
        second = state.index(db)
        assert second is not first and len(second) == 1
        d, p = second.nearest(np.full((1, 128), 0.05))
        assert p[0] == pupil.id and d[0] == pytest.approx(0.0, abs=1e-6)
        db.delete(pupil)
        bump_counter(db, "nopublish_version")
        db.commit()
        time.sleep(0.06)
        assert len(state.index(db)) == 0
