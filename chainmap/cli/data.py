"""Commands that create the database and bring data in: init, import, validate, status, template."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from chainmap.analysis.status import graph_status
from chainmap.cli._options import db_option, format_option
from chainmap.cli._output import echo_rows, to_json
from chainmap.cli._store import store_for
from chainmap.errors import StoreMissing
from chainmap.graph import NODE_LABELS_ZH, REL_NAMES_ZH

if TYPE_CHECKING:
    # Loaded where used: `status` and `--help` need neither pandas nor openpyxl.
    from chainmap.importer.validate import Dataset, DatasetSummary
    from chainmap.store.base import GraphStore
    from chainmap.store.sync import Changes

# Imports of at least this many rows show a progress bar.
PROGRESS_MIN_ROWS = 20_000
_KIND_ZH = {
    **NODE_LABELS_ZH,
    **REL_NAMES_ZH,
    "IN_CHAIN": "环节所属链",
    "LEAD_CHAIN": "镇主导链",
    "IN_TOWN": "企业所在镇",
    "PROJECT_IN": "项目所在镇",
    "PROJECT_FOR": "项目对应环节",
    "INVESTED_BY": "项目投资方",
}


def _checked(source: str, store: GraphStore | None) -> Dataset:
    """The validated dataset; a bad one raises DatasetInvalid (reported by the CLI group, as a
    table or, with --format json, as the error object with every issue)."""
    from chainmap.importer.load import check_dataset

    return check_dataset(source, store)


def _validated(source: str, fmt: str, db: Path | None) -> Dataset:
    """Validate against the store when one exists (references may point into it), else alone."""
    try:
        with store_for(db, create=False) as store:
            return _checked(source, store)
    except StoreMissing:
        return _checked(source, None)


def _echo_dataset(dataset: Dataset | DatasetSummary, headline: str) -> None:
    for note in dataset.notes:
        click.echo(f"提示：{note}")
    click.echo(headline)
    echo_rows(_row_counts(dataset), [("name", "数据表"), ("rows", "行数")], "table")


def _row_counts(dataset: Dataset | DatasetSummary) -> list[dict[str, Any]]:
    from chainmap.model import TABLES

    return [
        {"table": name, "name": TABLES[name].table_zh, "rows": rows}
        for name, rows in dataset.counts().items()
    ]


def _change_summary(changes: Changes) -> str:
    parts = []
    for title, counts in (
        ("新增", changes.created),
        ("更新", changes.updated),
        ("新增关系", changes.edges_created),
        ("删除关系", changes.edges_deleted),
    ):
        shown = [f"{_KIND_ZH.get(kind, kind)} {n}" for kind, n in counts.items() if n]
        if shown:
            parts.append(f"{title}：" + "、".join(shown))
    return "；".join(parts) if parts else "数据与库中一致，未做任何修改。"


@click.command()
@db_option
@click.option("--reset", is_flag=True, help="清空已有数据（保留库结构）。")
@click.option("--yes", is_flag=True, help="清空时不再确认。")
def init(db: Path | None, reset: bool, yes: bool) -> None:
    """创建数据库（已存在则检查可用）。"""
    with store_for(db) as store:
        if reset:
            if not yes:
                click.confirm(f"确定清空 {store.location} 中的全部数据？", abort=True)
            store.clear()
            click.echo(f"已清空：{store.location}")
        else:
            click.echo(f"数据库就绪：{store.location}（{store.backend}）")


@click.command("import")
@click.argument("source")
@click.option(
    "--replace-all",
    is_flag=True,
    help="数据集中的企业以本数据集为准替换其全部企业环节和供应关系（默认只替换本数据集涉及的"
    "产业链内的企业环节、所列供应方的供应关系）。",
)
@db_option
@format_option
def import_command(source: str, replace_all: bool, db: Path | None, fmt: str) -> None:
    """导入数据集：Excel 工作簿（.xlsx 或旧版 .xls）、CSV 文件夹、zip 或 http(s) 网址。

    先完整校验，全部通过才写入（要么全部写入，要么不写）；重复导入不产生变化，
    修改后的数据集再次导入只更新变化的部分。企业环节只在数据集涉及的产业链内替换，
    所以先后导入两条链的名录审核表互不影响。
    """
    from chainmap.importer.load import plan_import
    from chainmap.store.sync import apply_plan

    click.echo(f"正在读取并校验 {source} …", err=True)
    # A first import validates before the database exists, so a bad dataset leaves nothing behind.
    dataset = _validated(source, fmt, db)
    with store_for(db) as store:
        plan = plan_import(store, dataset, replace_all=replace_all)
        summary = dataset.summary()
        del dataset  # its frames are planned: not kept through the write (see import_dataset)
        if plan.size() >= PROGRESS_MIN_ROWS and fmt == "table":
            with click.progressbar(length=plan.size(), label="写入数据库", file=sys.stderr) as bar:
                changes = apply_plan(store, plan, lambda _what, n: bar.update(n))
        else:
            changes = apply_plan(store, plan)
        if fmt == "json":
            click.echo(
                to_json(
                    {
                        "ok": True,
                        "source": summary.source,
                        "backend": store.backend,
                        "database": store.location,
                        "rows": summary.counts(),
                        "created": changes.created,
                        "updated": changes.updated,
                        "unchanged": changes.unchanged,
                        "edges_created": changes.edges_created,
                        "edges_deleted": changes.edges_deleted,
                        "notes": summary.notes,
                    }
                )
            )
            return
        _echo_dataset(summary, f"已导入 {summary.source} → {store.location}（{store.backend}）")
        click.echo(_change_summary(changes))
    where = f" --db {db}" if db else ""
    click.echo(f"下一步：chainmap status{where} 查看库中数据；chainmap gaps 镇名称{where} 分析缺口")


@click.command("validate")
@click.argument("source")
@db_option
@format_option
def validate_command(source: str, db: Path | None, fmt: str) -> None:
    """只校验数据集，不写入（引用可指向已导入库中的数据）。"""
    dataset = _validated(source, fmt, db)
    if fmt == "json":
        click.echo(
            to_json(
                {
                    "ok": True,
                    "source": dataset.source,
                    "rows": dataset.counts(),
                    "notes": dataset.notes,
                }
            )
        )
        return
    _echo_dataset(dataset, f"校验通过：{dataset.source}")


@click.command()
@db_option
@format_option
def status(db: Path | None, fmt: str) -> None:
    """显示库中各类数据的数量和已导入的专业镇。"""
    with store_for(db, create=False) as store:
        current = graph_status(store)
    if fmt == "json":
        click.echo(to_json(current.as_dict()))
        return
    click.echo(f"数据库：{current.location}（{current.backend}）")
    echo_rows(current.rows(), [("name", "类别"), ("count", "数量")], fmt)
    if current.towns and fmt == "table":
        click.echo("")
        echo_rows(
            current.towns,
            [
                ("town_id", "镇编号"),
                ("name", "镇名称"),
                ("county", "县区"),
                ("level", "级别"),
                ("lead_chain_id", "主导产业链"),
                ("firms", "本镇企业"),
            ],
            fmt,
        )


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def template(path: Path) -> None:
    """生成空白填报工作簿（中文表头，每表一页，另附“说明”页）。"""
    from chainmap.render.template_xlsx import write_template

    write_template(path)
    click.echo(f"已生成填报模板：{path}")
    click.echo(f"下一步：发给各镇填写，收回后 chainmap validate {path} 检查，再 chainmap import")
