UNWIND $ids AS id
MATCH (f:Firm {id: id})
RETURN f.id AS firm_id, f.name AS firm_name, f.province AS province, f.city AS city,
       f.county AS county, f.revenue_wan AS revenue_wan, f.badges AS badges
