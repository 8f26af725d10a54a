// Public surface of the devices room: other rooms import only from here.
export { AnnounceRate } from './announce-rate.ts';
export type { ClientCertInfo, ComplianceRecord, Device, FoundWay, HistoryEntry, IdentityChange, LastAuth } from './device.ts';
export { identityHold, isIdentityPending } from './identity.ts';
export { DeviceRegistry } from './registry.ts';
export type { DeviceEvent, RecordResult } from './registry.ts';
export { MAX_LISTED_SERIALS, SerialFilter } from './serial-filter.ts';
export { CursorError, DeviceIndex, DEVICE_SORTS, type DeviceCounts, type DeviceQuery, type DeviceSort } from './device-query.ts';
