// Nodes whose id, lower-cased, is one of these (an id typed in another case or width).
MATCH (n:{{label}})
WHERE toLower(n.id) IN $folded
RETURN n.id AS id
