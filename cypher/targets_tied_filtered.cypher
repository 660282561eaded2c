// targets_tied with the user's filters.
UNWIND $ids AS id
MATCH (f:Firm {id: id})-[:MAKES]->(l:Link)
WHERE l.id IN $links AND (f.town_id IS NULL OR f.town_id <> $town)
{{part_target_filters}}
{{part_target_score}}
{{part_target_return}}
ORDER BY firm_id, link_id
