// Firms tied to the town (a short list) on the gap links they make, with the same components.
// $pairs (firm_id, link_id) come from town_tied_gap_links: looking firms up by key here, instead
// of following MAKES from a list of ids, keeps LadybugDB from scanning every MAKES edge.
UNWIND $pairs AS p
MATCH (f:Firm {id: p.firm_id})
MATCH (l:Link {id: p.link_id})
WHERE (f.town_id IS NULL OR f.town_id <> $town)
{{part_target_score}}
{{part_target_return}}
ORDER BY firm_id, link_id
