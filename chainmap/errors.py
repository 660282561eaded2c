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

    def _render(self) -> str:
        header = f"数据校验未通过，共 {len(self.issues)} 处问题，未写入任何数据：\n"
        lines = ["表\t行\t列\t值\t原因"]
        for issue in self.issues:
            value = issue.value if len(issue.value) <= 60 else issue.value[:57] + "..."
            lines.append(f"{issue.table}\t{issue.row}\t{issue.column}\t{value}\t{issue.reason}")
        return header + "\n".join(lines)


class SourceError(ChainmapError):
    """A dataset file, folder or URL cannot be read at all."""


class StoreError(ChainmapError):
    """The graph store failed or refused an operation."""


class StoreLocked(StoreError):
    """Another process holds the embedded database."""


class TownNotFound(ChainmapError):
    def __init__(self, town: str):
        super().__init__(
            f"找不到专业镇：{town}（请用 town_id 或镇名称；chainmap status 可查看已导入的镇）"
        )
        self.town = town
