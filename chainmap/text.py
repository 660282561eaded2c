"""Plain-text tables that line up with Chinese text (CJK characters are two columns wide)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, list | tuple):
        return "；".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    """columns: (key, Chinese heading). Numbers align right, text left."""
    headings = [heading for _, heading in columns]
    cells = [[cell_text(row.get(key)) for key, _ in columns] for row in rows]
    widths = [
        max([display_width(h)] + [display_width(r[i]) for r in cells])
        for i, h in enumerate(headings)
    ]
    numeric = [
        all(
            isinstance(row.get(key), int | float) and not isinstance(row.get(key), bool)
            for row in rows
            if row.get(key) is not None
        )
        and any(row.get(key) is not None for row in rows)
        for key, _ in columns
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for value, width, right in zip(values, widths, numeric, strict=True):
            pad = " " * (width - display_width(value))
            parts.append(pad + value if right else value + pad)
        return "  ".join(parts).rstrip()

    out = [line(headings), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells)
    return "\n".join(out)


_UNSAFE_IN_FILE_NAMES = re.compile(r"[\x00-\x1f/\\:*?\"<>|]")


def safe_file_name(name: str) -> str:
    """A name usable as a file name on Windows and Linux (a town's name may hold anything)."""
    return _UNSAFE_IN_FILE_NAMES.sub("_", name).strip(" .") or "_"
