// Every town's id and name (for suggestions when a town is not found).
MATCH (t:Town)
RETURN t.id AS id, t.name AS name
ORDER BY id
