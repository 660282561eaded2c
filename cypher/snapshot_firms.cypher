// Every firm's scoring facts, for the targets snapshot (read once per generation).
MATCH (f:Firm)
RETURN f.id AS id, f.province AS province, f.city AS city, f.town_id AS town_id,
       f.revenue_wan AS revenue_wan, f.badges AS badges, f.lon AS lon, f.lat AS lat
