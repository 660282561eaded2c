"""The exceptions chainmap raises; the CLI turns every ChainmapError into one clear message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class ChainmapError(Exception):
    """Base of every error that is the user's to fix (bad input, missing town, busy store)."""


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in a dataset, located as the user sees it (header = row 1)."""

    table: str
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


class DatasetInvalid(ChainmapError):
    """The dataset has problems; nothing was written."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = sorted(set(issues))
        super().__init__(self._render())

    SHOWN = 200  # more than this is unreadable in a terminal; JSON output carries all

    def _render(self) -> str:
        from chainmap.text import render_table

        rows = [
            {**issue.as_dict(), "value": _clip(issue.value)} for issue in self.issues[: self.SHOWN]
        ]
        text = f"数据校验未通过，共 {len(self.issues)} 处问题，未写入任何数据：\n" + render_table(
            rows,
            [("table", "表"), ("row", "行"), ("column", "列"), ("value", "值"), ("reason", "原因")],
        )
        hidden = len(self.issues) - self.SHOWN
        if hidden > 0:
            text += f"\n…… 另有 {hidden} 处问题未显示（用 --format json 查看全部）"
        return text


def _clip(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


class SourceError(ChainmapError):
    """A dataset file, folder or URL cannot be read at all."""


class StoreError(ChainmapError):
    """The graph store failed or refused an operation."""


class StoreMissing(StoreError):
    """The embedded database folder does not exist yet."""


class StoreLocked(StoreError):
    """Another process holds the embedded database."""


class TownNotFound(ChainmapError):
    def __init__(self, town: str):
        super().__init__(
            f"找不到专业镇：{town}（请用 town_id 或镇名称；chainmap status 可查看已导入的镇）"
        )
        self.town = town
