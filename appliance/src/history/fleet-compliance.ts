// The fleet's compliance right now, as the trend chart and the reports count it: each device by the status
// of its latest assessment; retired devices are not part of the fleet any more.
import type { Device } from '../devices/index.ts';

export function complianceStatus(d: Device): string {
  return d.compliance?.status ?? 'not-assessed';
}

export function fleetCompliance(devices: Iterable<Device>): { devices: number; byStatus: Record<string, number> } {
  const byStatus: Record<string, number> = {};
  let n = 0;
  for (const d of devices) {
    if (d.retired) continue;
    n++;
    const s = complianceStatus(d);
    byStatus[s] = (byStatus[s] ?? 0) + 1;
  }
  return { devices: n, byStatus };
}
