// Undo of the first generation a staged import wrote: the store had none before.
MATCH (s:StoreState {id: 'firms'})
DELETE s
