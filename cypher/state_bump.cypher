// A new generation of the store's firm data: written inside the import's transaction whenever
// firms or their links change, so it commits (or rolls back) with them.
MERGE (s:StoreState {id: 'firms'})
SET s.generation = $generation
