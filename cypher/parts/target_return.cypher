RETURN f.id AS firm_id, l.id AS link_id, km, p_scale, p_badges, p_region, p_distance,
       p_scale + p_badges + p_region + p_distance AS base
