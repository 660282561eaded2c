// targets_tied with the user's filters.
UNWIND $pairs AS p
MATCH (f:Firm {id: p.firm_id})
MATCH (l:Link {id: p.link_id})
WHERE (f.town_id IS NULL OR f.town_id <> $town)
{{part_target_filters}}
{{part_target_score}}
{{part_target_return}}
ORDER BY firm_id, link_id
