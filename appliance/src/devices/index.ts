// Public surface of the devices room: other rooms import only from here.
export { AnnounceRate } from './announce-rate.ts';
export type { ClientCertInfo, ComplianceRecord, Device, FoundWay, HistoryEntry, IdentityChange, LastAuth } from './device.ts';
export { identityHold, isIdentityPending } from './identity.ts';
export { DeviceRegistry } from './registry.ts';
export type { DeviceEvent, RecordResult } from './registry.ts';
export { SerialFilter } from './serial-filter.ts';
