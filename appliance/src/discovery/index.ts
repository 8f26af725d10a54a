// Manual and automatic discovery of printers that never announce (issue 14): the public surface.
export { Discovery, type DiscoveryRequest, type DiscoveryFieldError, type Checked, type FoundHook } from './service.ts';
export type { DiscoveryFound, DiscoveryParams, DiscoveryLimits, DiscoveryCounts, DiscoveryResult } from './sweep.ts';
export { parseTarget, plan, countAddresses, type Target, type Way } from './targets.ts';
export { parseUpload, MAX_UPLOAD_LINES } from './upload.ts';
