// Schema 7 → 8 (issue 11): the store records the generation of its firm data, so the targets
// snapshot beside it is rebuilt when stale. A migrated store has no generation until its next
// import: until then targets are ranked by the Cypher path.
CREATE NODE TABLE IF NOT EXISTS StoreState(
    id STRING PRIMARY KEY,
    generation STRING
);
