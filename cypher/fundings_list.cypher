// Funds received (到位资金) of these projects.
MATCH (f:Funding)
WHERE f.project_id IN $ids
RETURN f.project_id AS project_id, f.received_on AS received_on, f.amount_wan AS amount_wan,
       f.notes AS notes
