"""chainmap's command line: `chainmap --help`."""

from __future__ import annotations

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
from chainmap.cli.analysis import gaps, targets
from chainmap.cli.chains import chain, chains
from chainmap.cli.classify import classify_command
from chainmap.cli.copy import copy_command
from chainmap.cli.data import import_command, init, status, template, validate_command
from chainmap.cli.demo import demo
from chainmap.cli.evaluation import evaluate_command, rank_command
from chainmap.cli.exports import export
from chainmap.cli.maps import map_command
from chainmap.cli.projects import project
from chainmap.cli.report import report
from chainmap.errors import ChainmapError
from chainmap.interrupts import Interrupted, interrupted


class ChainmapGroup(click.Group):
    """Every ChainmapError reaches the user as one clear message and exit code 1. Any other
    exception is a bug: the user gets a short Chinese message and the traceback goes to a log
    file they can send, never onto their screen."""

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


for command in (
    init,
    import_command,
    validate_command,
    status,
    template,
    gaps,
    targets,
    chains,
    chain,
    classify_command,
    map_command,
    project,
    export,
    report,
    evaluate_command,
    rank_command,
    copy_command,
    demo,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="chainmap")


install_chinese()
