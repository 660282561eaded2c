// The 问题台账 of one town (or all), with the names of the town, project and firm concerned.
MATCH (w:Problem)
WHERE $all_towns OR w.town_id = $town
OPTIONAL MATCH (t:Town {id: w.town_id})
OPTIONAL MATCH (p:Project {id: w.project_id})
OPTIONAL MATCH (f:Firm {id: w.firm_id})
RETURN w.id AS problem_id, w.town_id AS town_id, t.name AS town_name,
       w.project_id AS project_id, p.name AS project_name, w.firm_id AS firm_id,
       f.name AS firm_name, w.raised_on AS raised_on, w.description AS description,
       w.owner_unit AS owner_unit, w.due_on AS due_on, w.status AS status,
       w.resolved_on AS resolved_on, w.notes AS notes, w.extra AS extra
