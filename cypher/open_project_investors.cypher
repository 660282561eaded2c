// Investors of the town's projects still in the pipeline (not 投产/达效/终止).
MATCH (p:Project)-[:PROJECT_IN]->(:Town {id: $town})
MATCH (p)-[:INVESTED_BY]->(f:Firm)
WHERE NOT p.status IN $closed
RETURN DISTINCT f.id AS firm_id
ORDER BY firm_id
