UNWIND $rows AS r
MATCH (a:{{from_label}} {id: r.from_id})
MATCH (b:{{to_label}} {id: r.to_id})
CREATE (a)-[e:{{rel}}]->(b)
{{set_edge_props}}
