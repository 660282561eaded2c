"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import resource


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
