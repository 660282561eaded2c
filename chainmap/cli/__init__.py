"""chainmap's command line: `chainmap --help`."""

from __future__ import annotations

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


class ChainmapGroup(click.Group):
    """Every ChainmapError reaches the user as one clear message and exit code 1; any other
    exception is a bug and keeps its traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ChainmapError as exc:
            raise click.ClickException(str(exc)) from exc


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
