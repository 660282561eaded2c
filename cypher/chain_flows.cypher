MATCH (a:Link)-[:IN_CHAIN]->(:Chain {id: $chain})
MATCH (a)-[:FLOWS_TO]->(b:Link)
RETURN a.id AS from_id, b.id AS to_id
ORDER BY from_id, to_id
