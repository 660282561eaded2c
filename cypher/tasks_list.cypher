// The 责任清单 of one town (or all), with the town's name.
MATCH (r:Task)
WHERE $all_towns OR r.town_id = $town
OPTIONAL MATCH (t:Town {id: r.town_id})
RETURN r.id AS task_id, r.town_id AS town_id, t.name AS town_name, r.year AS year,
       r.item AS item, r.owner_unit AS owner_unit, r.due_on AS due_on,
       r.progress AS progress, r.status AS status, r.done_on AS done_on, r.extra AS extra
