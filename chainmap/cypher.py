"""Load the Cypher statements the package runs, from the cypher/ folder.

`cypher/<backend>/<name>.cypher` wins over the portable `cypher/<name>.cypher`. A few statements
serve every node label or relationship type; their `{{placeholders}}` are filled only from
chainmap.graph (labels, types, property names), never from user data: values always travel as
parameters. `{{part_x}}` inserts the shared fragment cypher/parts/x.cypher (same lookup order), so
two statements can share one scoring expression.
"""

from __future__ import annotations

import re
from functools import cache

from chainmap.graph import NODES, RELS, NodeType, RelType
from chainmap.resources import resource_dir

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def _fragments(
    node: NodeType | None, rel: RelType | None, props: tuple[str, ...] | None = None
) -> dict[str, str]:
    fragments: dict[str, str] = {}
    if node is not None:
        if props is not None and not set(props) <= set(node.property_names):
            raise KeyError(
                f"{node.label} has no properties {sorted(set(props) - set(node.property_names))}"
            )
        # `props`: the properties an update sets (those that changed); all of them by default.
        setting = [(p, kind) for p, kind in node.properties if props is None or p in props]
        fragments |= {
            "label": node.label,
            "return_props": ", ".join(f"n.{p} AS {p}" for p in node.property_names),
            "set_props": ", ".join(f"n.{p} = r.{p}" for p, _ in setting),
            # LadybugDB types a parameter key by its values; a key that is null in every row of
            # a batch would come out STRING, so its update casts to the declared type.
            "set_props_frame": ", ".join(f"n.{p} = v_{p}" for p, _ in setting),
            "set_props_cast": ", ".join(f"n.{p} = CAST(r.{p} AS {kind})" for p, kind in setting),
        }
    if rel is not None:
        fragments |= {
            "rel": rel.name,
            "from_label": rel.from_label,
            "to_label": rel.to_label,
            "return_edge_props": "".join(f", e.{p} AS {p}" for p in rel.property_names),
            "set_edge_props": (
                "SET " + ", ".join(f"e.{p} = r.{p}" for p in rel.property_names)
                if rel.property_names
                else ""
            ),
        }
    return fragments


@cache
def load(
    name: str,
    backend: str,
    label: str | None = None,
    rel: str | None = None,
    props: tuple[str, ...] | None = None,
) -> str:
    """The text of statement `name` for `backend`, with schema placeholders filled in (`props`
    limits an update to those properties of `label`)."""
    folder = resource_dir("cypher")
    for path in (folder / backend / f"{name}.cypher", folder / f"{name}.cypher"):
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            text = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
            break
    else:
        raise FileNotFoundError(f"no Cypher statement {name!r} for back end {backend!r}")
    fragments = _fragments(NODES[label] if label else None, RELS[rel] if rel else None, props)

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key.startswith("part_"):
            return load(f"parts/{key.removeprefix('part_')}", backend, label, rel, props)
        if key not in fragments:
            raise KeyError(f"{name}.cypher needs {{{{{key}}}}}, which was not given")
        return fragments[key]

    return _PLACEHOLDER.sub(fill, text).strip()


def statements(name: str, backend: str) -> list[str]:
    """A DDL file holds several statements, each ending with `;` at the end of a line."""
    text = load(name, backend)
    return [s.strip() for s in re.split(r";\s*$", text, flags=re.M) if s.strip()]
