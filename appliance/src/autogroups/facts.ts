// What a filter can see of a device, flattened and lower-cased once per device change, so that evaluating
// a hundred filters is a hundred cheap comparisons rather than a hundred walks over the device record.
import type { Device, FoundWay } from '../devices/index.ts';
import { ipv4ToNumber } from './match.ts';

export type HowFound = FoundWay;

export interface DeviceFacts {
  serial: string;
  model: string;
  mac: string;
  ipv4: string;
  /** ipv4 as a number for range tests; -1 when the device has none. */
  ipv4n: number;
  hostname: string;
  firmware: string;
  /** Every way the device was found (one device may have announced and been discovered). */
  foundBy: HowFound[];
  /** The latest assessment's status, or `not-assessed`. */
  compliance: string;
  /** The last authentication attempt's result (`ok` or the failed check), or `never`. */
  lastAuth: string;
  authMethod: string;
}

/** Every way the device was found (discovery records its own ways in foundBy; older records only discoveredBy). */
export function howFound(d: Device): HowFound[] {
  const ways = Object.keys(d.foundBy ?? {}) as FoundWay[];
  if (ways.length) return ways;
  return [d.discoveredBy === 'auto-discovered' ? 'discovery' : d.discoveredBy === 'manual' ? 'manual' : 'announcement'];
}

const low = (s: string | undefined) => (s ?? '').toLowerCase();

export function deviceFacts(d: Device): DeviceFacts {
  return {
    serial: low(d.serialNumber),
    model: low(d.model),
    mac: low(d.macAddress),
    ipv4: low(d.ipv4),
    ipv4n: ipv4ToNumber(d.ipv4),
    hostname: low(d.hostname),
    firmware: low(d.firmware),
    foundBy: howFound(d),
    compliance: d.compliance?.status ?? 'not-assessed',
    lastAuth: low(d.lastAuth?.result) || 'never',
    authMethod: d.authMethod ?? 'anonymous',
  };
}
