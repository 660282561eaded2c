// The relationships of one type that leave these nodes.
UNWIND $ids AS id
MATCH (a:{{from_label}} {id: id})-[e:{{rel}}]->(b:{{to_label}})
RETURN a.id AS from_id, b.id AS to_id{{return_edge_props}}
