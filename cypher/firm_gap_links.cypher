// Which of the given links each given firm makes (a short list of chosen firms).
UNWIND $ids AS id
MATCH (f:Firm {id: id})-[:MAKES]->(l:Link)
WHERE l.id IN $links
RETURN f.id AS firm_id, l.id AS link_id
