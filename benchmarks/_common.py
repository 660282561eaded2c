"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import json
import os
import resource
from typing import Any


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_figures(bench: str, **figures: Any) -> None:
    """The benchmark's figures as one JSON line, with peak memory and the load average (the
    figures mean little without knowing what else the machine was doing)."""
    record = {
        "bench": bench,
        **figures,
        "peak_mb": round(peak_mb()),
        "load_avg_1m": os.getloadavg()[0],
    }
    print(json.dumps(record, ensure_ascii=False))
