UNWIND $rows AS r
MATCH (a:{{from_label}} {id: r.from_id})-[e:{{rel}}]->(b:{{to_label}} {id: r.to_id})
DELETE e
