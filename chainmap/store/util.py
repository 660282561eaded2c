"""Helpers shared by the store adapters and the sync layer (no driver imports here)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def batched(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
