// Every relationship of a type, its ends as node offsets (store/ladybug.py scan_edges looks the
// ids up): cheaper than reading both ends' ids through the join.
MATCH (a:{{from_label}})-[e:{{rel}}]->(b:{{to_label}})
RETURN offset(ID(a)) AS from_offset, offset(ID(b)) AS to_offset{{return_edge_props}}
