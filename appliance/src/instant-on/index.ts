// Public surface of the instant-on room: other rooms import only from here.
export { instantOnHooks } from './orchestrator.ts';
