// Investors of the town's projects still in the pipeline (not 投产/达效/终止). `WITH p` before
// following INVESTED_BY: otherwise LadybugDB joins against a scan of every firm (24 ms at 1M
// firms, for a town without projects; 1 ms this way).
MATCH (p:Project)-[:PROJECT_IN]->(:Town {id: $town})
WHERE NOT p.status IN $closed
WITH p
MATCH (p)-[:INVESTED_BY]->(f:Firm)
RETURN DISTINCT f.id AS firm_id
ORDER BY firm_id
