"""Moved to `server.pupil_records` (the CLI uses it too, and must not import the admin pages).

This name stays an alias of the same module object, so older imports keep working.
"""
import sys

from server import pupil_records as _moved

sys.modules[__name__] = _moved
