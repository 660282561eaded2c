// A town by id or by name.
MATCH (t:Town)
WHERE t.id = $town OR t.name = $town
RETURN t.id AS id, t.name AS name, t.province AS province, t.city AS city, t.county AS county,
       t.division_code AS division_code, t.level AS level, t.category AS category,
       t.lead_chain_id AS lead_chain_id, t.output_value_wan AS output_value_wan, t.year AS year,
       t.source AS source, t.lon AS lon, t.lat AS lat, t.historic_gi AS historic_gi,
       t.lead_industry_in_town AS lead_industry_in_town
ORDER BY id
