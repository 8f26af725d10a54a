// Stored hourly history (issue 16 §6): the dashboard's announcement chart and compliance trend.
export { HourlyHistory, hourKey, RETENTION_HOURS, type HourRecord, type HistoryPoint, type AnnounceTotals } from './hourly-history.ts';
export { fleetCompliance } from './fleet-compliance.ts';
