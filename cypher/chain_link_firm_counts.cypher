// Firms on each link of a chain across the whole store (the "national" context of gaps).
MATCH (l:Link)-[:IN_CHAIN]->(:Chain {id: $chain})
MATCH (f:Firm)-[:MAKES]->(l)
RETURN l.id AS link_id, count(f) AS firms
ORDER BY link_id
