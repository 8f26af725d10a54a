// Public surface of the sim room: other rooms import only from here.
export { startDemoFleet } from './demo.ts';
export type { Fleet } from './fleet.ts';
