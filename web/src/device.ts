// How the page reads a device record (a list row or the device's own page), in the page's words.
import type { Answer } from './api.ts';

export type DeviceRow = Answer<'GET /api/v1/devices'>['devices'][number];
export type DeviceFull = Answer<'GET /api/v1/devices/:serial'>;
type AnyDevice = DeviceRow | DeviceFull;

export const complianceOf = (d: AnyDevice): string => d.compliance?.status ?? 'not assessed';
export const isCompliant = (status: string) => status === 'compliant' || status === 'remediated';
export const policyOf = (d: AnyDevice): string => d.lastPolicy?.name ?? d.compliance?.policyName ?? '—';
/** "Announcing too often" (the announce-rate flag the list and the device page carry). */
export function tooOften(d: AnyDevice): { lastHour: number } | undefined {
  return d.announcing?.tooOften ? { lastHour: d.announcing.lastHour } : undefined;
}

/** The ways a device was found, in the page's words, and when (announcement, discovery, manual). */
export const FOUND_LABEL: Record<string, string> = { announcement: 'Instant-On', discovery: 'Discovery', manual: 'Manual' };
export function foundWays(d: AnyDevice): { way: string; label: string; first: string; last: string; taskId?: string }[] {
  return Object.entries(d.foundBy ?? {}).flatMap(([way, r]) => (r ? [{ way, label: FOUND_LABEL[way] ?? way, first: r.first, last: r.last, taskId: r.taskId }] : []));
}
export const foundLabel = (d: AnyDevice): string => foundWays(d).map((w) => w.label).join(', ');
/** A printer of another maker found by discovery: listed, but no catalog setting applies to it. */
export const isOtherVendor = (d: AnyDevice): boolean => d.vendor === 'other';
