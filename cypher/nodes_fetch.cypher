// Current properties of the nodes with these ids: an import compares them with its rows.
UNWIND $ids AS id
MATCH (n:{{label}} {id: id})
RETURN n.id AS id, {{return_props}}
