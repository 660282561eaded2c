MATCH (c:Chain)
OPTIONAL MATCH (l:Link)-[:IN_CHAIN]->(c)
WITH c, count(l) AS links
OPTIONAL MATCH (t:Town)-[:LEAD_CHAIN]->(c)
RETURN c.id AS chain_id, c.name AS name, links, count(t) AS towns
ORDER BY chain_id
