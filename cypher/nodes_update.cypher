// Overwrite every property of existing nodes (rows carry all of them).
UNWIND $rows AS r
MATCH (n:{{label}} {id: r.id})
SET {{set_props}}
