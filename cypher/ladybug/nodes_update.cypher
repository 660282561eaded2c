// Overwrite every property of existing nodes (rows carry all of them). Casts keep the declared
// types when a property is null in every row of the batch.
UNWIND $rows AS r
MATCH (n:{{label}} {id: r.id})
SET {{set_props_cast}}
