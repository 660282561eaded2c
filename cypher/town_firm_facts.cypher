// The town's own firms with what evaluation counts (leading flag, badges).
MATCH (f:Firm)-[:IN_TOWN]->(:Town {id: $town})
RETURN f.id AS firm_id, f.leading AS leading, f.badges AS badges
ORDER BY firm_id
