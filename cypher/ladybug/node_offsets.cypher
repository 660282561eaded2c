// Every node of a label as (offset, id), to turn offsets from edges_scan_offsets into ids.
MATCH (n:{{label}})
RETURN offset(ID(n)) AS offset, n.id AS id
