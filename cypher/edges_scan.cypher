MATCH (a:{{from_label}})-[e:{{rel}}]->(b:{{to_label}})
RETURN a.id AS from_id, b.id AS to_id{{return_edge_props}}
