// Every node of a label with its properties: cheaper than id look-ups for a large import.
MATCH (n:{{label}})
RETURN n.id AS id, {{return_props}}
