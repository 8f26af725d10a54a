// Public surface of the store room: other rooms import only from here.
export { Store } from './store.ts';
export type { StoreOp, Sub, SublevelName } from './store.ts';
