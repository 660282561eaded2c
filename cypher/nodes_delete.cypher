// Undo of a staged import step that created these nodes (chainmap/store/staged.py).
UNWIND $ids AS id
MATCH (n:{{label}} {id: id})
DETACH DELETE n
