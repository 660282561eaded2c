"""`chainmap chains` and `chainmap chain show ID`: the chain library."""

from __future__ import annotations

from pathlib import Path

import click

from chainmap.analysis.chains import chain_tree, list_chains, render_tree
from chainmap.cli._options import db_option, format_option
from chainmap.cli._output import echo_rows, to_json
from chainmap.cli._store import store_for


@click.command("chains")
@db_option
@format_option
def chains(db: Path | None, fmt: str) -> None:
    """列出库中的产业链：环节数和以其为主导产业链的专业镇数。"""
    with store_for(db, create=False) as store:
        rows = list_chains(store)
    echo_rows(
        rows,
        [("chain_id", "产业链编号"), ("name", "名称"), ("links", "环节数"), ("towns", "专业镇数")],
        fmt,
    )


@click.group("chain")
def chain() -> None:
    """查看一条产业链。"""


@chain.command("show")
@click.argument("chain_id")
@db_option
@format_option
def show(chain_id: str, db: Path | None, fmt: str) -> None:
    """按上游、中游、下游以树形显示产业链的环节、行业代码和流向。"""
    with store_for(db, create=False) as store:
        tree = chain_tree(store, chain_id)
    if fmt == "json":
        click.echo(to_json(tree.as_dict()))
    elif fmt == "csv":
        rows = [
            {**link, "flows_to": ";".join(tree.downstream.get(link["id"], []))}
            for link in tree.links
        ]
        echo_rows(
            rows,
            [
                ("id", "link_id"),
                ("name", "name"),
                ("stage", "stage"),
                ("industry_codes", "industry_codes"),
                ("flows_to", "flows_to"),
            ],
            fmt,
        )
    else:
        click.echo(render_tree(tree))
