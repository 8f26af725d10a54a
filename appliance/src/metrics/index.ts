// Public surface of the metrics room: other rooms import only from here.
export type { MetricsAccess } from './access.ts';
export { ApplianceMetrics } from './metrics.ts';
