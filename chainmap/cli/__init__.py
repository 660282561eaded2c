"""chainmap's command line: `chainmap --help`."""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from pathlib import Path

import click

from chainmap import __version__
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
from chainmap.interrupts import INTERRUPT_EXIT, Interrupted, interrupted


class ChainmapGroup(click.Group):
    """Every ChainmapError reaches the user as one clear message and exit code 1. Any other
    exception is a bug: the user gets a short Chinese message and the traceback goes to a log
    file they can send, never onto their screen."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Interrupted as exc:
            raise _exit_with(str(exc), INTERRUPT_EXIT) from exc
        except KeyboardInterrupt as exc:  # outside a write: before it, or after its commit
            raise _exit_with(str(interrupted()), INTERRUPT_EXIT) from exc
        except ChainmapError as exc:
            raise click.ClickException(str(exc)) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            raise click.ClickException(_bug_report(exc)) from exc


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
