// Every maker of a link outside the town, ids only: the brute-force ranking scores them by key
// (targets_tied). Reading their properties through this join instead is not safe on LadybugDB
// 0.22: measured, it returns 0.0 for the revenue of some firms (docs/ladybug-issues.md).
MATCH (f:Firm)-[:MAKES]->(l:Link {id: $link})
WHERE f.town_id IS NULL OR f.town_id <> $town
RETURN f.id AS firm_id
ORDER BY firm_id
