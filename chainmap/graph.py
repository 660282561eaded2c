"""The property graph chainmap keeps: node labels, relationship types and their properties.

Every node has a string key `id`. The DDL of each back end (cypher/<backend>/schema.cypher)
declares exactly these properties, in this order (LadybugDB's COPY maps columns by position);
tests/test_schema.py holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass

STRING = "STRING"
DOUBLE = "DOUBLE"
INT64 = "INT64"
BOOLEAN = "BOOLEAN"
STRING_LIST = "STRING[]"
KEY_SEPARATOR = "|"


@dataclass(frozen=True)
class NodeType:
    label: str
    table: str  # the contract table the nodes come from
    key_column: str  # the contract column that becomes `id`
    properties: tuple[tuple[str, str], ...]  # (name, type) after `id`, in DDL order
    # More columns that make up the id with key_column, joined by KEY_SEPARATOR.
    more_key_columns: tuple[str, ...] = ()

    @property
    def property_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.properties)


@dataclass(frozen=True)
class RelType:
    name: str
    from_label: str
    to_label: str
    properties: tuple[tuple[str, str], ...] = ()

    @property
    def property_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.properties)


_SOURCE = (("source", STRING), ("extra", STRING))
# Derived at import from the division names or code (chainmap.geo), not part of the contract.
_COORDINATES = (("lon", DOUBLE), ("lat", DOUBLE))

NODES: dict[str, NodeType] = {
    node.label: node
    for node in (
        NodeType(
            "Chain",
            "chains",
            "chain_id",
            (
                ("name", STRING),
                ("description", STRING),
                *_SOURCE,
                # Schema 7: the chain's goods in general words (classify's service links).
                ("goods_keywords", STRING_LIST),
            ),
        ),
        NodeType(
            "Link",
            "links",
            "link_id",
            (
                ("chain_id", STRING),
                ("name", STRING),
                ("stage", STRING),
                ("industry_codes", STRING_LIST),
                ("keywords", STRING_LIST),
                ("weight", DOUBLE),
                *_SOURCE,
                # Schema 5: appended last, where ALTER TABLE puts it in a migrated store.
                ("locality", STRING),
                # Schema 7: words that keep a firm off the link (classify).
                ("exclude_keywords", STRING_LIST),
            ),
        ),
        NodeType(
            "Town",
            "towns",
            "town_id",
            (
                ("name", STRING),
                ("province", STRING),
                ("city", STRING),
                ("county", STRING),
                ("division_code", STRING),
                ("level", STRING),
                ("category", STRING),
                ("lead_chain_id", STRING),
                ("output_value_wan", DOUBLE),
                ("year", INT64),
                *_SOURCE,
                *_COORDINATES,
                ("historic_gi", BOOLEAN),
                ("lead_industry_in_town", BOOLEAN),
            ),
        ),
        NodeType(
            "Firm",
            "firms",
            "firm_id",
            (
                ("name", STRING),
                ("province", STRING),
                ("city", STRING),
                ("county", STRING),
                ("town_id", STRING),
                ("revenue_wan", DOUBLE),
                ("employees", INT64),
                ("founded_year", INT64),
                ("badges", STRING_LIST),
                ("leading", BOOLEAN),
                *_SOURCE,
                *_COORDINATES,
            ),
        ),
        NodeType(
            "Project",
            "projects",
            "project_id",
            (
                ("name", STRING),
                ("town_id", STRING),
                ("link_id", STRING),
                ("investor_firm_id", STRING),
                ("investor_name", STRING),
                ("investment_wan", DOUBLE),
                ("status", STRING),
                ("signed_on", STRING),
                ("started_on", STRING),
                ("producing_on", STRING),
                ("effective_on", STRING),
                ("terminated_on", STRING),
                ("owner_unit", STRING),
                ("notes", STRING),
                ("extra", STRING),
                # Schema 6: appended last, where ALTER TABLE puts them in a migrated store.
                ("talks_on", STRING),
                ("referrer_firm_id", STRING),
                ("referrer_name", STRING),
            ),
        ),
        NodeType(
            "Indicator",
            "indicators",
            "town_id",
            (
                ("town_id", STRING),
                ("year", INT64),
                ("output_value_wan", DOUBLE),
                ("firms", INT64),
                ("above_scale_firms", INT64),
                ("supporting_firms", INT64),
                ("market_entities", INT64),
                ("employees", INT64),
                ("tax_wan", DOUBLE),
                ("platforms", INT64),
                *_SOURCE,
            ),
            more_key_columns=("year",),
        ),
        NodeType(
            "Platform",
            "platforms",
            "name",
            (
                ("name", STRING),
                ("type", STRING),
                ("level", STRING),
                ("town_id", STRING),
                ("firm_id", STRING),
                *_SOURCE,
            ),
        ),
        # Schema 6: what happens after a target is named (no relationships: looked up by key).
        NodeType(
            "Funding",
            "fundings",
            "project_id",
            (
                ("project_id", STRING),
                ("received_on", STRING),
                ("amount_wan", DOUBLE),
                ("notes", STRING),
            ),
            more_key_columns=("received_on",),
        ),
        NodeType(
            "Lead",
            "leads",
            "town_id",
            (
                ("town_id", STRING),
                ("firm_id", STRING),
                ("link_id", STRING),
                ("status", STRING),
                ("status_on", STRING),
                ("owner_unit", STRING),
                ("notes", STRING),
            ),
            more_key_columns=("firm_id",),
        ),
        NodeType(
            "FollowUp",
            "follow_ups",
            "town_id",
            (
                ("town_id", STRING),
                ("firm_id", STRING),
                ("followed_on", STRING),
                ("way", STRING),
                ("contact", STRING),
                ("result", STRING),
                ("next_step", STRING),
                ("next_on", STRING),
                ("owner_unit", STRING),
            ),
            more_key_columns=("firm_id", "followed_on", "way"),
        ),
        NodeType(
            "Problem",
            "problems",
            "problem_id",
            (
                ("town_id", STRING),
                ("project_id", STRING),
                ("firm_id", STRING),
                ("raised_on", STRING),
                ("description", STRING),
                ("owner_unit", STRING),
                ("due_on", STRING),
                ("status", STRING),
                ("resolved_on", STRING),
                ("notes", STRING),
                ("extra", STRING),
            ),
        ),
        NodeType(
            "Task",
            "tasks",
            "task_id",
            (
                ("town_id", STRING),
                ("year", INT64),
                ("item", STRING),
                ("owner_unit", STRING),
                ("due_on", STRING),
                ("progress", STRING),
                ("status", STRING),
                ("done_on", STRING),
                ("extra", STRING),
            ),
        ),
    )
}

RELS: dict[str, RelType] = {
    rel.name: rel
    for rel in (
        RelType("IN_CHAIN", "Link", "Chain"),
        RelType("FLOWS_TO", "Link", "Link"),
        RelType("LEAD_CHAIN", "Town", "Chain"),
        RelType("IN_TOWN", "Firm", "Town"),
        RelType("MAKES", "Firm", "Link", (("product", STRING),)),
        RelType("SUPPLIES", "Firm", "Firm", (("product", STRING), ("value_wan", DOUBLE))),
        RelType("PROJECT_IN", "Project", "Town"),
        RelType("PROJECT_FOR", "Project", "Link"),
        RelType("INVESTED_BY", "Project", "Firm"),
        RelType("INDICATOR_OF", "Indicator", "Town"),
        RelType("PLATFORM_IN", "Platform", "Town"),
        RelType("PLATFORM_OF", "Platform", "Firm"),
        # Written by gap analysis, not by import.
        RelType(
            "GAP",
            "Town",
            "Link",
            (
                ("kind", STRING),
                ("status", STRING),
                ("local_firms", INT64),
                ("leading_firms", INT64),
            ),
        ),
    )
}

NODE_BY_TABLE: dict[str, NodeType] = {node.table: node for node in NODES.values()}


@dataclass(frozen=True)
class EdgeTable:
    """A contract table whose rows are relationships: (from column, to column) -> rel."""

    table: str
    rel: str
    from_column: str
    to_column: str


EDGE_TABLES: dict[str, EdgeTable] = {
    edge.table: edge
    for edge in (
        EdgeTable("link_flows", "FLOWS_TO", "from_link_id", "to_link_id"),
        EdgeTable("firm_links", "MAKES", "firm_id", "link_id"),
        EdgeTable("supply_ties", "SUPPLIES", "supplier_id", "customer_id"),
    )
}


@dataclass(frozen=True)
class DerivedEdge:
    """A relationship implied by a reference column of a node table (links.chain_id → IN_CHAIN)."""

    table: str
    column: str
    rel: str


DERIVED_EDGES: tuple[DerivedEdge, ...] = (
    DerivedEdge("links", "chain_id", "IN_CHAIN"),
    DerivedEdge("towns", "lead_chain_id", "LEAD_CHAIN"),
    DerivedEdge("firms", "town_id", "IN_TOWN"),
    DerivedEdge("projects", "town_id", "PROJECT_IN"),
    DerivedEdge("projects", "link_id", "PROJECT_FOR"),
    DerivedEdge("projects", "investor_firm_id", "INVESTED_BY"),
    DerivedEdge("indicators", "town_id", "INDICATOR_OF"),
    DerivedEdge("platforms", "town_id", "PLATFORM_IN"),
    DerivedEdge("platforms", "firm_id", "PLATFORM_OF"),
)

# Labels in the order `status` reports them, with their Chinese names.
NODE_LABELS_ZH = {
    "Town": "专业镇",
    "Chain": "产业链",
    "Link": "产业链环节",
    "Firm": "企业",
    "Project": "项目",
    "Indicator": "年度指标",
    "Platform": "公共服务平台",
    "Funding": "到位资金",
    "Lead": "招商对象",
    "FollowUp": "跟进记录",
    "Problem": "问题台账",
    "Task": "责任清单",
}
REL_NAMES_ZH = {
    "FLOWS_TO": "环节流向",
    "MAKES": "企业环节",
    "SUPPLIES": "供应关系",
    "GAP": "缺口环节",
}
