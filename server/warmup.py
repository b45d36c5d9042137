"""Load the heavy models when a server worker starts, not on the first member of staff's check.

The offensive-language model (2-4 s to read), the language model (~2 s) and dlib's face models
(about 1.3 s) load lazily; in a long-running worker that would make someone's first check of the
day the slow one. Warming runs in a background thread so the worker answers at once (a check that
arrives meanwhile simply waits for the same locks the warm-up holds).
"""
from __future__ import annotations

import threading
from typing import Any
from server import services

#: Set when this process's warm-up has finished (loaded, or failed and left to lazy loading);
#: `/api/v1/health` reports it, so a load balancer or a test can wait for a warm worker.
_STARTED = threading.Event()
_DONE = threading.Event()


def models_state() -> str:
    """"ready" once the warm-up finished, "loading" while it runs, "on first use" without one."""
    if _DONE.is_set():
        return "ready"
    return "loading" if _STARTED.is_set() else "on first use"


def warm_up(app: Any) -> None:
    """Load the text and image models this process will use."""
    from text_checks.language_model import language_model
    from text_checks.toxicity import toxicity_model

    toxicity_model()
    policy = services.policy(app)
    if any(t < 1.0 for t in policy.model_thresholds.values()):
        language_model()  # docs/language-model.md: an onnxruntime session, built once per worker
    from image_checks.encoder import warm_up as warm_faces

    warm_faces(landmarks=policy.face_settings.get("landmarks", 5), finder=policy.face_settings.get("finder", "yunet"))
    from image_checks.budget import release_memory

    release_memory()  # building the sessions left freed pages (SFace's weights are decoded in memory)


def warm_up_in_background(app: Any) -> threading.Thread:
    def run() -> None:
        try:
            warm_up(app)
        except Exception:  # noqa: BLE001  (a failed warm-up only means the first check loads lazily)
            app.logger.exception("warm-up failed; models will load on first use")
        finally:
            _DONE.set()

    _STARTED.set()

    thread = threading.Thread(target=run, name="secondlook-warm-up", daemon=True)
    thread.start()
    return thread
