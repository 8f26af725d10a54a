// What a filter can see of a device, flattened and lower-cased once per device change, so that evaluating
// a hundred filters is a hundred cheap comparisons rather than a hundred walks over the device record.
// The facts of every device stay in memory: values most devices share (a few dozen models and firmware
// versions, seven ways of being found) are one copy each, not one per device (~1.4 MB at 10,000 devices).
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
  foundBy: readonly HowFound[];
  /** The latest assessment's status, or `not-assessed`. */
  compliance: string;
  /** The last authentication attempt's result (`ok` or the failed check), or `never`. */
  lastAuth: string;
  authMethod: string;
}

const WAYS = new Map<string, readonly HowFound[]>();

/** Every way the device was found (discovery records its own ways in foundBy; older records only discoveredBy). */
export function howFound(d: Device): readonly HowFound[] {
  let ways = Object.keys(d.foundBy ?? {}) as FoundWay[];
  if (!ways.length) ways = [d.discoveredBy === 'auto-discovered' ? 'discovery' : d.discoveredBy === 'manual' ? 'manual' : 'announcement'];
  const key = ways.join(' ');
  let shared = WAYS.get(key);
  // Three ways give at most 15 orders; the bound only guards against odd keys in an old stored record.
  if (!shared) { shared = Object.freeze(ways); if (WAYS.size < 16) WAYS.set(key, shared); }
  return shared;
}

const low = (s: string | undefined) => (s ?? '').toLowerCase();

/** Bounded, so a LAN announcing ever new models cannot grow it past ~1 MB; past the bound values are simply not shared. */
const SHARED_MAX = 4096;
const sharedText = new Map<string, string>();
function shared(s: string): string {
  const hit = sharedText.get(s);
  if (hit !== undefined) return hit;
  if (sharedText.size < SHARED_MAX) sharedText.set(s, s);
  return s;
}

export function deviceFacts(d: Device): DeviceFacts {
  return {
    serial: low(d.serialNumber),
    model: shared(low(d.model)),
    mac: low(d.macAddress),
    ipv4: low(d.ipv4),
    ipv4n: ipv4ToNumber(d.ipv4),
    hostname: low(d.hostname),
    firmware: shared(low(d.firmware)),
    foundBy: howFound(d),
    compliance: d.compliance?.status ?? 'not-assessed',
    lastAuth: low(d.lastAuth?.result) || 'never',
    authMethod: d.authMethod ?? 'anonymous',
  };
}
