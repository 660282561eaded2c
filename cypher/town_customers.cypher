// Firms outside the town that buy from firms of the town.
MATCH (local:Firm)-[:IN_TOWN]->(:Town {id: $town})
MATCH (local)-[s:SUPPLIES]->(other:Firm)
WHERE other.town_id IS NULL OR other.town_id <> $town
RETURN other.id AS firm_id, local.id AS local_id, local.name AS local_name,
       local.leading AS local_leading, local.badges AS local_badges, s.product AS product
ORDER BY firm_id, local_id
