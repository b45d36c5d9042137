"""One onnxruntime session per network per process, built on first use and shared by every thread.

Both face networks (dlib's ResNet in `face_net`, the ArcFace network in `face_arc`) and dlib's
CNN detector (`mmod_net`) run this way: `run` of an onnxruntime session is thread-safe and
releases the GIL, so one session per process serves every request thread.
"""
from __future__ import annotations

import os
import threading

from checks_common.onnx_session import cpu_session as _cpu_session
from checks_common.onnx_session import threads_from_env


def threads_wanted() -> int:
    """onnxruntime threads per process: SECONDLOOK_FACE_THREADS, default every core."""
    return threads_from_env("SECONDLOOK_FACE_THREADS", os.cpu_count() or 1)


def cpu_session(model: bytes, threads: int | None = None):  # noqa: ANN201
    """An onnxruntime CPU session for a face network (`threads` None: `threads_wanted()`)."""
    return _cpu_session(model, threads or threads_wanted())


class SharedNetwork:
    """A network loaded once per process: subclasses say where from (`model_location`) and how to
    build themselves from it (`__init__`); `shared()` returns the one instance."""

    _lock = threading.Lock()

    @staticmethod
    def model_location() -> str:
        raise NotImplementedError

    @classmethod
    def shared(cls):  # noqa: ANN206
        instance = cls.__dict__.get("_instance")
        if instance is None:
            with SharedNetwork._lock:
                instance = cls.__dict__.get("_instance")
                if instance is None:
                    instance = cls(cls.model_location())
                    cls._instance = instance
        return instance
