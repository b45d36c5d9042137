"""onnxruntime CPU sessions as every network of the checks runs them (the face networks in
`image_checks`, the language model in `text_checks`): one session per process, shared by the
request threads (`run` is thread-safe and releases the GIL), no spinning threads between calls."""
from __future__ import annotations

import os


def threads_from_env(variable: str, default: int) -> int:
    """A positive thread count from the environment `variable`, else `default`."""
    value = os.environ.get(variable, "")
    return int(value) if value.strip().isdigit() and int(value) > 0 else default


def cpu_session(model: bytes, threads: int):  # noqa: ANN201
    """An onnxruntime CPU session for a serialised model, with `threads` intra-op threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
