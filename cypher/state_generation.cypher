// The generation token of the store's firm data (none before the first import that wrote firms).
MATCH (s:StoreState {id: 'firms'})
RETURN s.generation AS generation
