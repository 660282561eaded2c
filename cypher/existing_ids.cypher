// Which of these ids the store holds already (validation resolves references with it).
UNWIND $ids AS id
MATCH (n:{{label}} {id: id})
RETURN n.id AS id
