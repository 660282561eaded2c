"""The chain library: what chains the store holds, and one chain as a staged tree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from chainmap.analysis.gaps import link_depths
from chainmap.errors import ChainNotFound
from chainmap.model import STAGES
from chainmap.store.base import GraphStore


def list_chains(store: GraphStore) -> list[dict[str, Any]]:
    return store.query("chains_list")


@dataclass
class ChainTree:
    chain: dict[str, Any]
    links: list[dict[str, Any]]  # in stage order, upstream first within a stage
    downstream: dict[str, list[str]]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.chain,
            "links": [
                {**link, "flows_to": self.downstream.get(link["id"], [])} for link in self.links
            ],
        }


def chain_tree(store: GraphStore, chain_id: str) -> ChainTree:
    rows = store.query("chain_get", {"chain": chain_id})
    if not rows:
        known = "、".join(r["chain_id"] for r in list_chains(store)) or "无"
        raise ChainNotFound(f"找不到产业链：{chain_id}（库中已有：{known}）")
    links = store.query("chain_links", {"chain": chain_id})
    downstream: dict[str, list[str]] = defaultdict(list)
    upstream: dict[str, list[str]] = defaultdict(list)
    for flow in store.query("chain_flows", {"chain": chain_id}):
        downstream[flow["from_id"]].append(flow["to_id"])
        upstream[flow["to_id"]].append(flow["from_id"])
    depth = link_depths([link["id"] for link in links], upstream)
    links.sort(key=lambda link: (STAGES.index(link["stage"]), depth[link["id"]], link["id"]))
    return ChainTree(rows[0], links, dict(downstream))


def render_tree(tree: ChainTree) -> str:
    names = {link["id"]: link["name"] for link in tree.links}
    flows = sum(len(v) for v in tree.downstream.values())
    lines = [
        f"{tree.chain['name']}（{tree.chain['id']}）：{len(tree.links)} 个环节，{flows} 条流向"
    ]
    if tree.chain.get("description"):
        lines.append(tree.chain["description"])
    for stage in STAGES:
        members = [link for link in tree.links if link["stage"] == stage]
        if not members:
            continue
        lines.append(stage)
        for index, link in enumerate(members):
            branch = "└─" if index == len(members) - 1 else "├─"
            codes = "、".join(link["industry_codes"] or [])
            targets = "、".join(names.get(t, t) for t in tree.downstream.get(link["id"], []))
            lines.append(
                f"{branch} {link['name']}（{link['id']}）"
                + (f" [{codes}]" if codes else "")
                + (f" → {targets}" if targets else "")
            )
    return "\n".join(lines)
