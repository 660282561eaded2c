// The leads (招商对象) of one town, or of all, with their firm's and link's names.
MATCH (l:Lead)
WHERE $all_towns OR l.town_id = $town
OPTIONAL MATCH (f:Firm {id: l.firm_id})
OPTIONAL MATCH (k:Link {id: l.link_id})
RETURN l.town_id AS town_id, l.firm_id AS firm_id, f.name AS firm_name, l.link_id AS link_id,
       k.name AS link_name, l.status AS status, l.status_on AS status_on,
       l.owner_unit AS owner_unit, l.notes AS notes
