// The town's own firms on each link of a chain (few: a town has hundreds at most). No revenue:
// nothing here needs it, and LadybugDB 0.22 can read it wrong on this path (docs/ladybug-issues.md).
MATCH (f:Firm)-[:IN_TOWN]->(:Town {id: $town})
MATCH (f)-[:MAKES]->(l:Link)
MATCH (l)-[:IN_CHAIN]->(:Chain {id: $chain})
RETURN l.id AS link_id, f.id AS firm_id, f.name AS firm_name, f.leading AS leading,
       f.badges AS badges
ORDER BY link_id, firm_id
