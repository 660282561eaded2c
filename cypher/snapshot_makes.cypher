// Every firm→link pair, for the targets snapshot (read once per generation).
MATCH (f:Firm)-[:MAKES]->(l:Link)
RETURN f.id AS firm_id, l.id AS link_id
