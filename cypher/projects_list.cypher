// Projects of one town (or all), with the names of their town, link and investor.
MATCH (p:Project)
WHERE $all_towns OR p.town_id = $town
OPTIONAL MATCH (p)-[:PROJECT_IN]->(t:Town)
OPTIONAL MATCH (p)-[:PROJECT_FOR]->(l:Link)
OPTIONAL MATCH (p)-[:INVESTED_BY]->(f:Firm)
OPTIONAL MATCH (r:Firm {id: p.referrer_firm_id})
RETURN p.id AS project_id, p.name AS name, p.town_id AS town_id, t.name AS town_name,
       p.link_id AS link_id, l.name AS link_name, l.stage AS stage,
       p.investor_firm_id AS investor_firm_id, f.name AS investor_firm_name,
       p.investor_name AS investor_name, p.investment_wan AS investment_wan, p.status AS status,
       p.signed_on AS signed_on, p.started_on AS started_on, p.producing_on AS producing_on,
       p.effective_on AS effective_on, p.terminated_on AS terminated_on,
       p.owner_unit AS owner_unit, p.notes AS notes, p.extra AS extra,
       p.talks_on AS talks_on, p.referrer_firm_id AS referrer_firm_id,
       r.name AS referrer_firm_name, p.referrer_name AS referrer_name
ORDER BY town_id, project_id
