"""Workers load their models at start, so no member of staff's first check pays for them."""
from __future__ import annotations

import text_checks.toxicity as toxicity
from server.warmup import warm_up_in_background
from server.wsgi_server import _post_worker_init


def test_warm_up_loads_the_language_model(app, monkeypatch):
    monkeypatch.setattr(toxicity, "_model", None)
    warm_up_in_background(app).join(timeout=120)
    assert toxicity._model is not None


def test_gunicorn_worker_hook_warms_its_app(app, monkeypatch):
    started = []
    monkeypatch.setattr("server.warmup.warm_up", lambda a: started.append(a))

    class Worker:
        wsgi = app

    _post_worker_init(Worker())
    import threading
    for thread in threading.enumerate():
        if thread.name == "secondlook-warm-up":
            thread.join(timeout=10)
    assert started == [app]
