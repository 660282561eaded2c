"""The exceptions chainmap raises; the CLI turns every ChainmapError into one clear message.

    ChainmapError                      anything that is the user's to fix
    ├── InvalidInput                   an option or value that cannot be used
    │   └── InvalidMove                a project status change that is not allowed
    │       └── InvalidLeadMove        a target's follow-up status change that is not allowed
    ├── ConfigError                    chainmap.toml or criteria.toml is unreadable or wrong
    ├── NotFound
    │   ├── TownNotFound, ChainNotFound, ProjectNotFound, LinkNotFound, RecordNotFound
    │   └── AmbiguousTown              a name that fits several towns
    ├── DatasetInvalid                 validation found problems (each located)
    ├── SourceError                    a file, folder or URL cannot be read at all
    ├── StoreError                     the graph store failed or refused
    │   ├── StoreMissing               the embedded database does not exist yet
    │   ├── StoreLocked                another process holds it
    │   └── StoreUnavailable           Neo4j cannot be reached or refuses the login
    └── Interrupted                    Ctrl-C or SIGTERM (chainmap.interrupts)

Each class carries a Chinese `hint` (what to do next); `--format json` prints
{"ok": false, "error": {"type", "message", "hint"}, "errors": [...]}.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class ChainmapError(Exception):
    """Base of every error that is the user's to fix (bad input, missing town, busy store)."""

    hint: str = ""
    exit_code: int = 1

    def __init__(self, message: str = "", *, hint: str | None = None):
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def as_dict(self) -> dict[str, Any]:
        return {"type": type(self).__name__, "message": str(self), "hint": self.hint}


class InvalidInput(ChainmapError):
    hint = "用 --help 查看该命令的选项和取值"


class InvalidMove(InvalidInput):
    hint = "项目按 谋划→在谈→签约→开工→投产→达效 逐步推进（或终止）；chainmap project show 查看当前状态"


class InvalidLeadMove(InvalidMove):
    hint = "跟进状态按 待对接→已接洽→在谈→签约 逐步推进，或暂缓、放弃；chainmap follow show 查看当前状态"


class ConfigError(ChainmapError):
    hint = "对照随附的 data/config 中的文件检查键名和取值"


class NotFound(ChainmapError):
    hint = "chainmap status 可查看库中已有的数据"


class ChainNotFound(NotFound):
    hint = "chainmap chains 查看已导入的产业链；链模板用 chainmap import 导入"


class ProjectNotFound(NotFound):
    hint = "chainmap project list 查看全部项目"


class RecordNotFound(NotFound):
    hint = "chainmap problem list / chainmap task list 查看已有记录"


class LinkNotFound(NotFound):
    hint = "chainmap chain show 链编号 查看链上的环节"


class AmbiguousTown(NotFound):
    hint = "改用镇编号（chainmap status 可查）"


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

    hint = "按表、行、列改正后重新导入；chainmap validate 只校验不写入"

    def __init__(self, issues: Iterable[Issue]):
        self.issues = sorted(set(issues))
        super().__init__(self._render())

    SHOWN = 200  # more than this is unreadable in a terminal; JSON output carries all

    def headline(self) -> str:
        return f"数据校验未通过，共 {len(self.issues)} 处问题，未写入任何数据"

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "message": self.headline()}

    def _render(self) -> str:
        from chainmap.text import render_table

        rows = [
            {**issue.as_dict(), "value": _clip(issue.value)} for issue in self.issues[: self.SHOWN]
        ]
        text = f"{self.headline()}：\n" + render_table(
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

    hint = "检查文件路径、格式（.xlsx 或 .xls 工作簿、CSV 文件夹或 zip）和网址"


class StoreError(ChainmapError):
    """The graph store failed or refused an operation."""

    hint = "数据库未被改动；如问题持续，请用原始数据重建数据库"


class StoreMissing(StoreError):
    """The embedded database folder does not exist yet."""

    hint = "先运行 chainmap init 或 chainmap import 建库，或用 --db 指向已有的数据库文件夹"


class StoreLocked(StoreError):
    """Another process holds the embedded database."""

    hint = "等另一个 chainmap 命令结束后再试（同一数据库同时只能有一个写入者）"


class StoreUnavailable(StoreError):
    """Neo4j cannot be reached, or refuses the login or database."""

    hint = "检查 CHAINMAP_NEO4J_URI、用户名、密码和数据库名，以及服务器是否在运行"


class TownNotFound(NotFound):
    hint = "用镇编号或镇名称；chainmap status 可查看已导入的镇"

    def __init__(self, town: str, suggestions: list[str] | None = None):
        maybe = f"；是否为：{'、'.join(suggestions)}？" if suggestions else ""
        super().__init__(f"找不到专业镇：{town}{maybe}")
        self.town = town
