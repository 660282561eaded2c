"""How commands print: an aligned table for people, JSON or CSV for other programs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import click

from chainmap.text import cell_text, render_table

FORMATS = ("table", "json", "csv")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for key, _ in columns])
    for row in rows:
        writer.writerow([cell_text(row.get(key)) for key, _ in columns])
    return buffer.getvalue()


def echo_rows(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str) -> None:
    if fmt == "json":
        click.echo(to_json(list(rows)))
    elif fmt == "csv":
        click.echo(to_csv(rows, columns), nl=False)
    else:
        click.echo(render_table(rows, columns))
