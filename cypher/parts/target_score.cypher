// Firm-level score components of candidate f on link l (weights and factors are parameters
// from chainmap.toml) and their sum `base`. Three projections: the distance's terms are
// named once (dx, dy) rather than written twice, which cuts what LadybugDB spends preparing
// the statement (0.17 → 0.13 s, paid once per command) for one more pass over the rows.
// Distance: the equirectangular approximation on a 6371 km sphere (-1 when unknown). Missing
// evidence (no revenue, place unknown) gets the neutral factor $unknown, never the worst value. A link's
// locality (就近 / 区域 / 全国) decides what region and distance reward: a 就近 link (焦炉煤气,
// 鲜果) wants firms of the town's province, close by, and gives far 梯度转移 sources nothing.
WITH f, l,
     CASE WHEN NOT $has_point OR f.lat IS NULL OR f.lon IS NULL THEN NULL
          ELSE radians(f.lon - $town_lon) * cos(radians((f.lat + $town_lat) / 2.0)) END AS dx,
     radians(f.lat - $town_lat) AS dy,
     CASE WHEN f.revenue_wan IS NULL THEN $w_scale * $unknown
          ELSE $w_scale * f.revenue_wan / (f.revenue_wan + $revenue_half) END AS p_scale,
     $w_badges * CASE WHEN $b1 IN f.badges THEN $f1
                      WHEN $b2 IN f.badges THEN $f2
                      WHEN $b3 IN f.badges THEN $f3
                      WHEN $b4 IN f.badges THEN $f4
                      WHEN $b5 IN f.badges THEN $f5
                      ELSE 0.0 END AS p_badges,
     $w_region * CASE WHEN f.province IS NULL OR f.province = '未知' THEN $unknown
                      WHEN l.locality = '就近' THEN
                           CASE WHEN f.province = $town_province THEN 1.0 ELSE 0.0 END
                      WHEN l.locality = '区域' THEN
                           CASE WHEN f.province = $town_province THEN 1.0
                                WHEN f.province IN $transfer_provinces
                                  OR f.city IN $transfer_cities THEN $same_province
                                ELSE 0.0 END
                      WHEN f.province IN $transfer_provinces OR f.city IN $transfer_cities THEN 1.0
                      WHEN f.province = $town_province THEN $same_province
                      ELSE 0.0 END AS p_region
WITH f, l, p_scale, p_badges, p_region,
     CASE WHEN dx IS NULL THEN -1.0 ELSE 6371.0 * sqrt(dx * dx + dy * dy) END AS km
WITH f, l, km, p_scale, p_badges, p_region,
     CASE WHEN km >= 0.0 THEN $w_distance / (1.0 + km / CASE l.locality
                                                          WHEN '就近' THEN $near_km
                                                          WHEN '区域' THEN $regional_km
                                                          ELSE $half_km END)
          WHEN $has_point THEN $w_distance * $unknown
          ELSE 0.0 END AS p_distance
