// Platforms of the town, and those of its firms (a firm's technology centre counts for its town).
MATCH (p:Platform)
WHERE p.town_id = $town
   OR EXISTS { MATCH (p)-[:PLATFORM_OF]->(:Firm)-[:IN_TOWN]->(:Town {id: $town}) }
RETURN p.id AS name, p.type AS type, p.level AS level
ORDER BY name
