// Candidate targets on one gap link, best first, with the points of each score component
// (weights and factors are parameters from chainmap.toml; see chainmap/analysis/targets.py).
// Ties count supply relationships, either way, with firms of the town ($lead_tied: the firms
// tied to a leading firm of the town, few); the distance is the equirectangular approximation
// of chainmap.geo.
MATCH (f:Firm)-[:MAKES]->(:Link {id: $link})
WHERE (f.town_id IS NULL OR f.town_id <> $town)
  AND NOT f.id IN $excluded
  AND ($all_places OR f.province IN $provinces OR f.city IN $cities)
  AND ($no_min OR f.revenue_wan >= $min_revenue)
  AND ($all_badges OR $badge IN f.badges)
WITH f,
     COUNT { MATCH (f)-[:SUPPLIES]-(p:Firm)-[:IN_TOWN]->(:Town {id: $town}) } AS n_ties,
     radians(f.lon - $town_lon) * cos(radians((f.lat + $town_lat) / 2.0)) AS dx,
     radians(f.lat - $town_lat) AS dy
WITH f, n_ties,
     $tie_first + $tie_more * (n_ties - 1) + CASE WHEN f.id IN $lead_tied THEN $tie_lead ELSE 0.0 END
       AS tie_raw,
     CASE WHEN NOT $has_point OR dx IS NULL OR dy IS NULL THEN -1.0
          ELSE 6371.0 * sqrt(dx * dx + dy * dy) END AS km
WITH f, n_ties, km,
     CASE WHEN n_ties = 0 THEN 0.0
          WHEN tie_raw > 1.0 THEN $w_ties
          ELSE $w_ties * tie_raw END AS p_ties,
     CASE WHEN f.revenue_wan IS NULL THEN 0.0
          ELSE $w_scale * f.revenue_wan / (f.revenue_wan + $revenue_half) END AS p_scale,
     $w_badges * CASE WHEN $b1 IN f.badges THEN $f1
                      WHEN $b2 IN f.badges THEN $f2
                      WHEN $b3 IN f.badges THEN $f3
                      WHEN $b4 IN f.badges THEN $f4
                      WHEN $b5 IN f.badges THEN $f5
                      ELSE 0.0 END AS p_badges,
     $w_region * CASE WHEN f.province IN $transfer_provinces OR f.city IN $transfer_cities THEN 1.0
                      WHEN f.province = $town_province THEN $same_province
                      ELSE 0.0 END AS p_region,
     CASE WHEN km < 0.0 THEN 0.0 ELSE $w_distance / (1.0 + km / $half_km) END AS p_distance
WITH f, n_ties, km, p_ties, p_scale, p_badges, p_region, p_distance,
     $gap_points + p_ties + p_scale + p_badges + p_region + p_distance AS total
RETURN f.id AS firm_id, f.name AS firm_name, f.province AS province, f.city AS city,
       f.county AS county, f.revenue_wan AS revenue_wan, f.badges AS badges, km, n_ties,
       p_ties, p_scale, p_badges, p_region, p_distance, total
ORDER BY total DESC, firm_id
LIMIT $limit
