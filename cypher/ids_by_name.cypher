// Nodes whose name is one of these (a clerk typed a name where an id belongs).
UNWIND $names AS name
MATCH (n:{{label}})
WHERE n.name = name
RETURN n.name AS name, n.id AS id
