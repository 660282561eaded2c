// The nodes of a label whose offsets lie in [$low, $high), with their offsets and properties: a
// large table is read in parts, so LadybugDB never holds the whole result at once, and put in
// offset order by chainmap (store/ladybug.py), which is cheaper than ORDER BY here.
MATCH (n:{{label}})
WHERE offset(ID(n)) >= $low AND offset(ID(n)) < $high
RETURN offset(ID(n)) AS offset, n.id AS id, {{return_props}}
