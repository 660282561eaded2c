// One past the largest offset of a label's nodes (0 when it has none).
MATCH (n:{{label}})
RETURN coalesce(max(offset(ID(n))) + 1, 0) AS n
