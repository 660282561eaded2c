// Firms inside a modelled town (the rest are outside firms: the target universe).
MATCH (f:Firm)-[:IN_TOWN]->(:Town)
RETURN count(f) AS n
