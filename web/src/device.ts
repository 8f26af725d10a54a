// How the page reads a device record (fields of the compliance room may be absent on older appliances).
import type { Device } from './live.ts';

export const complianceOf = (d: Device): string => d.compliance?.status ?? 'not assessed';
export const isCompliant = (status: string) => status === 'compliant' || status === 'remediated';
export const policyOf = (d: Device): string => d.lastPolicy?.name ?? d.compliance?.policyName ?? '—';
/** "Announcing too often" (task engine flag); several spellings accepted until the API settles. */
export function tooOften(d: Device): { lastHour: number } | undefined {
  const a = d.announceRate ?? d.announcing ?? d.rate;
  if (a?.tooOften) return { lastHour: a.lastHour ?? 0 };
  if (d.tooOften || d.announcingTooOften) return { lastHour: d.announcesLastHour ?? 0 };
  return undefined;
}

/** The ways a device was found, in the page's words, and when (announcement, discovery, manual). */
export const FOUND_LABEL: Record<string, string> = { announcement: 'Instant-On', discovery: 'Discovery', manual: 'Manual' };
export function foundWays(d: Device): { way: string; label: string; first: string; last: string; taskId?: string }[] {
  const by = d.foundBy ?? (d.discoveredBy === 'instant-on' ? { announcement: { first: d.firstSeen, last: d.lastSeen } } : {});
  return Object.entries(by as Record<string, any>).filter(([, r]) => r).map(([way, r]) => ({ way, label: FOUND_LABEL[way] ?? way, first: r.first, last: r.last, taskId: r.taskId }));
}
export const foundLabel = (d: Device): string => foundWays(d).map((w) => w.label).join(', ');
/** A printer of another maker found by discovery: listed, but no catalog setting applies to it. */
export const isOtherVendor = (d: Device): boolean => d.vendor === 'other';
