// Identity reconciliation for a printer found by discovery (a sweep, or an address an admin gave), pure.
// The same rule as announcements: the serial is the identity. A printer found by a sweep and later
// announcing (or the reverse) is one record whose `foundBy` names both ways; an address found by a sweep
// that differs from the known one is an attribute change in the device's history.
import { DISCOVERED_BY, TRACKED_ATTRIBUTES, type Device, type HistoryEntry, type TrackedAttribute } from './device.ts';
import type { Reconciled } from './reconcile.ts';

/** What qualification over SNMP learnt about a printer (validated by the caller). */
export interface FoundPrinter {
  serialNumber: string;
  model: string;
  /** Empty or absent when the device did not tell it. */
  macAddress?: string;
  ipv4?: string;
  ipv6?: string[];
  hostname?: string;
  firmware?: string;
  snmpPort: number;
  vendor: 'hp' | 'other';
  /** The address that answered. */
  address: string;
  /** Which SNMP credential answered (a label, never a secret); later assessments try it first. */
  credentialRef?: Device['credentialRef'];
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const norm = (a: string | undefined) => (a ?? '').toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');

export function reconcileFound(previous: Device | undefined, found: FoundPrinter, way: 'discovery' | 'manual', taskId: string, now: Date): Reconciled {
  const at = now.toISOString();
  const attrs: Partial<Pick<Device, TrackedAttribute>> = {
    macAddress: found.macAddress ? found.macAddress.toLowerCase().replace(/-/g, ':') : undefined,
    model: found.model, ipv4: found.ipv4, ipv6: found.ipv6, hostname: found.hostname, firmware: found.firmware, snmpPort: found.snmpPort,
  };
  const base = { at, via: way, taskId, peerAddress: found.address };
  const foundBy = { ...previous?.foundBy, [way]: { first: previous?.foundBy?.[way]?.first ?? at, last: at, taskId } };
  if (!previous) {
    const device: Device = {
      serialNumber: found.serialNumber, macAddress: attrs.macAddress ?? '', model: found.model, ipv4: found.ipv4, ipv6: found.ipv6,
      hostname: found.hostname, firmware: found.firmware, snmpPort: found.snmpPort, discoveredBy: DISCOVERED_BY[way], foundBy,
      vendor: found.vendor, firstSeen: at, lastSeen: at, peerAddress: found.address, announceCount: 0, historySeq: 0,
      ...(found.credentialRef ? { credentialRef: found.credentialRef } : {}),
    };
    return { device, entries: [{ ...base, kind: 'discovered' }], outcome: 'new' };
  }
  // A device that announces is where its announcements come from (the TCP peer of 3329, held to its
  // certificate with strictDeviceIdentity). Any host on the LAN can answer a sweep's SNMP GET with this
  // serial — the sweep has just sent it the general community — so an answer from another address must not
  // move where SNMP, with the device's own credential, goes next; nor may it rewrite what the device said
  // about itself. It is recorded; a printer that really moved announces from its new address.
  if (previous.announceCount > 0 && norm(found.address) !== norm(previous.peerAddress)) {
    return { device: previous, outcome: 'unchanged', entries: [{ ...base, kind: 'found',
      detail: `answered a sweep at ${found.address} with this serial; SNMP stays at ${previous.peerAddress}, where it announces from` }] };
  }
  const changes: NonNullable<HistoryEntry['changes']> = {};
  const device: Device = { ...previous, foundBy, lastSeen: at, peerAddress: found.address,
    // An HP device never becomes 'other' because one sweep read less (announcing makes it HP: the agent is HP's).
    vendor: previous.vendor === 'hp' || previous.announceCount > 0 || found.vendor === 'hp' ? 'hp' : 'other',
    credentialRef: found.credentialRef ?? previous.credentialRef };
  for (const key of TRACKED_ATTRIBUTES) {
    const value = attrs[key];
    // What discovery did not learn (no MAC, no host name) is kept as last known, never erased.
    if (value === undefined) continue;
    // Discovery reads the MAC from ifPhysAddress (the first interface that has one), which need not be the
    // one the printer announces: an announced MAC is the device's own word and is kept.
    if (key === 'macAddress' && previous.announceCount > 0 && previous.macAddress) continue;
    // Reached on one of the IPv6 addresses it already has: nothing changed.
    if (key === 'ipv6' && found.ipv6?.every((a) => previous.ipv6?.includes(a))) continue;
    if (!sameValue(previous[key], value)) { changes[key] = { from: previous[key], to: value }; (device as any)[key] = value; }
  }
  const entries: Omit<HistoryEntry, 'seq'>[] = [];
  if (!previous.foundBy?.[way]) entries.push({ ...base, kind: 'found' });
  if (Object.keys(changes).length > 0) {
    entries.push({ ...base, kind: 'attributes-changed', changes });
  }
  return { device, entries, outcome: Object.keys(changes).length > 0 ? 'changed' : 'unchanged' };
}
