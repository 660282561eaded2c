MATCH (t:Town)
OPTIONAL MATCH (f:Firm)-[:IN_TOWN]->(t)
RETURN t.id AS town_id, t.name AS name, t.county AS county, t.level AS level,
       t.lead_chain_id AS lead_chain_id, count(f) AS firms
ORDER BY town_id
