RETURN f.id AS firm_id, l.id AS link_id, km, p_scale, p_badges, p_region, p_distance,
       p_scale + p_badges + p_region + p_distance AS base,
       CASE WHEN f.revenue_wan IS NULL THEN 0 ELSE 1 END
         + CASE WHEN f.province IS NULL OR f.province = '未知' THEN 0 ELSE 1 END AS evidence,
       f.name AS firm_name
