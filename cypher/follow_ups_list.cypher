// Follow-up records of one town (or all), with their firm's name.
MATCH (u:FollowUp)
WHERE $all_towns OR u.town_id = $town
OPTIONAL MATCH (f:Firm {id: u.firm_id})
RETURN u.town_id AS town_id, u.firm_id AS firm_id, f.name AS firm_name,
       u.followed_on AS followed_on, u.way AS way, u.contact AS contact, u.result AS result,
       u.next_step AS next_step, u.next_on AS next_on, u.owner_unit AS owner_unit
