// Neo4j's bulk path: UNWIND batches inside the import's transaction.
UNWIND $rows AS r
CREATE (n:{{label}} {id: r.id})
SET {{set_props}}
