"""A static chain diagram for reports: three columns (上游 → 中游 → 下游), one box per link,
coloured by status, with its gap kind, local firms and the first targets. Prints as drawn, at
any size, and needs no script (the interactive map is a separate file)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from chainmap.analysis.gaps import STATUS_ZH, GapReport
from chainmap.analysis.targets import Target
from chainmap.model import STAGES

FILL = {"strong": "#e8f5e9", "weak": "#fff8e1", "missing": "#ffebee"}
STROKE = {"strong": "#2e7d32", "weak": "#b26a00", "missing": "#c62828"}
BOX_W, BOX_H, GAP_X, GAP_Y, TOP = 300, 62, 70, 12, 44


@dataclass
class Box:
    name: str
    status: str
    kind: str
    local: int
    leading: int
    targets: list[str]


def diagram_columns(gaps: GapReport, targets: list[Target]) -> dict[str, list[Box]]:
    by_link: dict[str, list[str]] = {}
    for target in targets:
        by_link.setdefault(target.link_id, []).append(target.firm_name)
    columns: dict[str, list[Box]] = {stage: [] for stage in STAGES}
    for link in gaps.links:
        columns.setdefault(link.stage, []).append(
            Box(
                link.link_name,
                link.status,
                link.gap_kind or "",
                link.local_firms,
                link.leading_firms,
                by_link.get(link.link_id, [])[:2],
            )
        )
    return columns


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chain_svg(gaps: GapReport, targets: list[Target]) -> str:
    columns = diagram_columns(gaps, targets)
    rows = max((len(boxes) for boxes in columns.values()), default=0)
    width = len(columns) * BOX_W + (len(columns) - 1) * GAP_X + 20
    height = TOP + rows * (BOX_H + GAP_Y) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(gaps.chain["name"])}环节图" '
        'font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, SimSun, sans-serif">'
    ]
    for index, (stage, boxes) in enumerate(columns.items()):
        x = 10 + index * (BOX_W + GAP_X)
        parts.append(
            f'<text x="{x + BOX_W / 2}" y="26" text-anchor="middle" font-size="20" '
            f'font-weight="bold" fill="#1f4e78">{escape(stage)}</text>'
        )
        if index:
            arrow_x = x - GAP_X + 12
            parts.append(
                f'<path d="M{arrow_x} 20 h{GAP_X - 34} l-8 -7 m8 7 l-8 7" stroke="#1f4e78" '
                'stroke-width="3" fill="none"/>'
            )
        for row, box in enumerate(boxes):
            y = TOP + row * (BOX_H + GAP_Y)
            dash = ' stroke-dasharray="6 4"' if box.status == "missing" else ""
            parts.append(
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                f'fill="{FILL[box.status]}" stroke="{STROKE[box.status]}" stroke-width="2"{dash}/>'
            )
            label = f"{STATUS_ZH[box.status]}{'·' + box.kind if box.kind else ''}"
            parts.append(
                f'<text x="{x + 10}" y="{y + 24}" font-size="17" font-weight="bold" '
                f'fill="#222">{escape(_clip(box.name, 11))}</text>'
                f'<text x="{x + BOX_W - 10}" y="{y + 24}" font-size="15" text-anchor="end" '
                f'fill="{STROKE[box.status]}" font-weight="bold">{escape(label)}</text>'
            )
            detail = f"本地 {box.local} 家" + (f"（龙头 {box.leading}）" if box.leading else "")
            if box.targets:
                detail += " · 目标：" + box.targets[0]
            # 13-pixel CJK text: about 21 characters fit a box.
            parts.append(
                f'<text x="{x + 10}" y="{y + 48}" font-size="13" fill="#444">'
                f"{escape(_clip(detail, 21))}</text>"
            )
    legend_y = height - 12
    for offset, status in enumerate(("strong", "weak", "missing")):
        lx = 10 + offset * 110
        parts.append(
            f'<rect x="{lx}" y="{legend_y - 12}" width="16" height="14" fill="{FILL[status]}" '
            f'stroke="{STROKE[status]}" stroke-width="2"/>'
            f'<text x="{lx + 22}" y="{legend_y}" font-size="14">{STATUS_ZH[status]}链环节</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
