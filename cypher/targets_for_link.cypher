// One gap link's candidates outside the town, best firm-level score first. Only ids and points
// come back (a sort carries every returned column); firm_details fills in the few chosen.
MATCH (f:Firm)-[:MAKES]->(l:Link {id: $link})
WHERE f.town_id IS NULL OR f.town_id <> $town
{{part_target_score}}
{{part_target_return}}
ORDER BY base DESC, firm_id
SKIP $skip
LIMIT $limit
