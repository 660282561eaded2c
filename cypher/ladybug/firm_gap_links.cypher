// LadybugDB: one firm per run (store.query_each). `UNWIND $ids … MATCH (f:Firm {id: id})-[:MAKES]->`
// is planned as a scan of every MAKES edge (0.7 s at 1M firms, for 1 id or 2,000); a scalar
// key is a primary-key lookup (0.1 ms).
// Which of the given links each given firm makes (a short list of chosen firms).
MATCH (f:Firm {id: $id})-[:MAKES]->(l:Link)
WHERE l.id IN $links
RETURN f.id AS firm_id, l.id AS link_id
