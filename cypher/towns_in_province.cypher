MATCH (t:Town)
WHERE $all_towns OR t.province = $province
RETURN t.id AS town_id
ORDER BY town_id
