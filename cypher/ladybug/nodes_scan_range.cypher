// The nodes of a label whose offsets lie in [$low, $high), with their properties: a large table
// is read in parts, so LadybugDB never holds the whole result at once (store/ladybug.py).
MATCH (n:{{label}})
WHERE offset(ID(n)) >= $low AND offset(ID(n)) < $high
RETURN n.id AS id, {{return_props}}
