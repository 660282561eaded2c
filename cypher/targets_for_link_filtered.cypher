// targets_for_link with the user's filters (province, region, revenue, badge).
MATCH (f:Firm)-[:MAKES]->(l:Link {id: $link})
WHERE (f.town_id IS NULL OR f.town_id <> $town)
{{part_target_filters}}
{{part_target_score}}
{{part_target_return}}
ORDER BY base DESC, firm_id
SKIP $skip
LIMIT $limit
