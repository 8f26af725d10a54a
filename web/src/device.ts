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
