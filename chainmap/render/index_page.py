"""An index page for a folder of outputs: every map, report and list, by relative link."""

from __future__ import annotations

from html import escape
from pathlib import Path


def write_index(out: Path, maps: list[Path], files: list[Path]) -> Path:
    """An index page linking every map, list and report the demo wrote (relative links)."""
    groups = [
        ("产业链招商图谱", list(maps)),
        ("招商工作报告", [p for p in files if p.parent.name == "reports"]),
        ("清单（Excel）", [p for p in files if p.parent.name == "lists"]),
    ]
    items = []
    for title, paths in groups:
        links = "".join(
            f'<li><a href="{escape(p.relative_to(out).as_posix())}">{escape(p.name)}</a></li>'
            for p in paths
        )
        items.append(f"<h2>{escape(title)}</h2><ul>{links}</ul>")
    page = out / "index.html"
    page.write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>chainmap 演示输出</title><style>body{font-family:sans-serif;max-width:900px;"
        "margin:24px auto;line-height:1.8}h2{border-left:5px solid #1f4e78;padding-left:8px}"
        "</style></head><body><h1>chainmap 演示输出</h1>"
        "<p>名称以“示例”开头的企业和项目为虚构示例数据。</p>" + "".join(items) + "</body></html>",
        encoding="utf-8",
    )
    return page
