// Towns whose id or name holds this text (a clerk types 交城 for 交城硝基复合肥专业镇).
MATCH (t:Town)
WHERE t.id CONTAINS $part OR t.name CONTAINS $part
RETURN t.id AS id, t.name AS name
ORDER BY id
