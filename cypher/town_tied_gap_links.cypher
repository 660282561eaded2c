// (firm, link) pairs of the firms tied to the town by supply, either way, on the given links.
// Followed out from the town's own firms: a traversal LadybugDB expands from a few nodes
// (0.02 s at 1M firms), where a list of firm ids joined to MAKES scans every MAKES edge.
MATCH (local:Firm)-[:IN_TOWN]->(:Town {id: $town})
MATCH (other:Firm)-[:SUPPLIES]-(local)
WHERE other.town_id IS NULL OR other.town_id <> $town
MATCH (other)-[:MAKES]->(l:Link)
WHERE l.id IN $links
RETURN DISTINCT other.id AS firm_id, l.id AS link_id
ORDER BY firm_id, link_id
