MATCH (l:Link)-[:IN_CHAIN]->(:Chain {id: $chain})
MATCH (f:Firm)-[:MAKES]->(l)
RETURN count(DISTINCT f) AS firms
