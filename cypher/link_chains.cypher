UNWIND $ids AS id
MATCH (l:Link {id: id})
RETURN l.id AS id, l.chain_id AS chain_id
