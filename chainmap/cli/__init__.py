"""chainmap's command line: `chainmap --help`."""

from __future__ import annotations

import importlib
import itertools
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

import click

from chainmap import __version__
from chainmap.cli._zh import install as install_chinese
from chainmap.errors import ChainmapError
from chainmap.interrupts import Interrupted, interrupted

# Before any command is declared: click translates some of its texts when they are declared.
install_chinese()

# name -> (module, attribute, one-line help). Commands load on first use, so that `chainmap
# --help` and a mistyped command answer at once instead of after importing pandas, openpyxl and
# the drivers; tests/test_cli.py holds each summary equal to the command's own help.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("chainmap.cli.data", "init", "创建数据库（已存在则检查可用）。"),
    "import": (
        "chainmap.cli.data",
        "import_command",
        "导入数据集：Excel 工作簿（.xlsx 或旧版 .xls）、CSV 文件夹、zip 或 http(s) 网址。",
    ),
    "validate": (
        "chainmap.cli.data",
        "validate_command",
        "只校验数据集，不写入（引用可指向已导入库中的数据）。",
    ),
    "status": ("chainmap.cli.data", "status", "显示库中各类数据的数量和已导入的专业镇。"),
    "template": (
        "chainmap.cli.data",
        "template",
        "生成空白填报工作簿（中文表头，每表一页，另附“说明”页）。",
    ),
    "gaps": (
        "chainmap.cli.analysis",
        "gaps",
        "列出专业镇主导产业链各环节的强、弱、缺和招商方向（补链/延链/强链）。",
    ),
    "targets": (
        "chainmap.cli.analysis",
        "targets",
        "为专业镇的缺链、弱链排出镇外目标企业，给出 0–100 分、得分构成和推荐理由。",
    ),
    "chains": (
        "chainmap.cli.chains",
        "chains",
        "列出库中的产业链：环节数和以其为主导产业链的专业镇数。",
    ),
    "chain": ("chainmap.cli.chains", "chain", "查看一条产业链。"),
    "classify": (
        "chainmap.cli.classify",
        "classify_command",
        "把企业名录匹配到产业链环节，写成审核工作簿。",
    ),
    "map": (
        "chainmap.cli.maps",
        "map_command",
        "生成产业链招商图谱（单个离线 HTML 文件，断网可用）。",
    ),
    "project": (
        "chainmap.cli.projects",
        "project",
        "重大项目清单（三个一批）：新增、推进、查看项目。",
    ),
    "follow": (
        "chainmap.cli.ledgers",
        "follow",
        "目标企业跟进台账：记录对接、推进跟进状态、查看逾期的下一步。",
    ),
    "problem": (
        "chainmap.cli.ledgers",
        "problem",
        "问题台账：登记问题、办结销号、查看逾期未解决的问题。",
    ),
    "task": (
        "chainmap.cli.ledgers",
        "task",
        "责任清单（年度行动计划）：新增任务、更新进展、查看逾期未完成的任务。",
    ),
    "export": (
        "chainmap.cli.exports",
        "export",
        "导出清单：招商引资清单、重大项目清单（Excel 或 CSV）。",
    ),
    "report": (
        "chainmap.cli.report",
        "report",
        "生成专业镇招商工作报告（离线网页或 Word 文档，可打印）。",
    ),
    "evaluate": (
        "chainmap.cli.evaluation",
        "evaluate_command",
        "对照认定标准逐条评价专业镇：是否达标、实际值与门槛，以及晋升上一级还缺什么。",
    ),
    "rank": (
        "chainmap.cli.evaluation",
        "rank_command",
        "专业镇年度排名：产值及增长、市场主体、链条完整度、投产项目、龙头企业，表扬与督办。",
    ),
    "notices": (
        "chainmap.cli.notices",
        "notices_command",
        "为年度排名中列为督办的专业镇生成督办通知书：督办事由、逾期问题、逾期任务、滞后项目和整改期限。",
    ),
    "copy": ("chainmap.cli.copy", "copy_command", "在本地嵌入式数据库与 Neo4j 之间复制整个图谱。"),
    "demo": (
        "chainmap.cli.demo",
        "demo",
        "用自带数据建库并演示全部功能：导入、缺口、目标、图谱、清单和报告。",
    ),
}


class ChainmapGroup(click.Group):
    """Every ChainmapError reaches the user as one clear message and exit code 1. Any other
    exception is a bug: the user gets a short Chinese message and the traceback goes to a log
    file they can send, never onto their screen. Commands load on first use (COMMANDS)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, summary) for name, (_, _, summary) in COMMANDS.items()]
        with formatter.section("命令"):
            formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["chainmap.argv"] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        wants_json = _wants_json(ctx)
        try:
            try:
                return super().invoke(ctx)
            except KeyboardInterrupt:  # outside a write: before it, or after its commit
                raise interrupted() from None
        except ChainmapError as exc:
            if wants_json:
                _echo_json_error(exc.as_dict(), getattr(exc, "issues", []))
                raise click.exceptions.Exit(exc.exit_code) from exc
            raise _exit_with(_with_hint(exc), exc.exit_code) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            message = _bug_report(exc)
            if wants_json:
                _echo_json_error({"type": "InternalError", "message": message, "hint": ""}, [])
                raise click.exceptions.Exit(1) from exc
            raise click.ClickException(message) from exc


def _wants_json(ctx: click.Context) -> bool:
    """Whether the command line asked for --format json (an error then prints JSON too)."""
    args = ctx.meta.get("chainmap.argv", [])
    return "--format=json" in args or any(
        a == "--format" and b == "json" for a, b in itertools.pairwise(args)
    )


def _echo_json_error(error: dict, issues: list) -> None:
    click.echo(
        json.dumps(
            {"ok": False, "error": error, "errors": [i.as_dict() for i in issues]},
            ensure_ascii=False,
            indent=2,
        )
    )


def _with_hint(exc: ChainmapError) -> str:
    text = str(exc)
    if exc.hint and exc.hint not in text and not isinstance(exc, Interrupted):
        text += f"\n提示：{exc.hint}"
    return text


def _exit_with(message: str, code: int) -> click.ClickException:
    error = click.ClickException(message)
    error.exit_code = code
    return error


def _bug_report(exc: Exception) -> str:
    log = Path(tempfile.gettempdir()) / f"chainmap-error-{time.strftime('%Y%m%d-%H%M%S')}.log"
    try:
        log.write_text(
            f"chainmap {__version__}\n{' '.join(sys.argv)}\n\n"
            + "".join(traceback.format_exception(exc)),
            encoding="utf-8",
        )
        where = f"详细信息已写入 {log}，请把该文件发给维护者"
    except OSError:
        where = "请把所用命令和数据文件报告给维护者"
    return f"内部错误（{type(exc).__name__}）：chainmap 未能完成操作（未完成的写入不会保留）。{where}。"


@click.group(cls=ChainmapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chainmap")
def cli() -> None:
    """chainmap：专业镇产业链招商图谱工具。

    导入专业镇、产业链、企业和项目数据，找出缺链弱链，排出招商目标，生成图谱和清单。
    默认使用本地嵌入式数据库（--db 文件夹）；设置 CHAINMAP_NEO4J_URI 时使用 Neo4j。
    """


def main() -> None:
    cli(prog_name="chainmap")
