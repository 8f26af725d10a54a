// Identity reconciliation, pure: given what we knew of a serial and a new announcement, what is the device
// now and which history entries describe the step. DESIGN.md: the serial is the identity; a known serial
// with a new MAC is a formatter replacement (the technician reloaded the serial), not a second device.
import type { Announcement } from '../protocol/index.ts';
import { TRACKED_ATTRIBUTES, type Device, type HistoryEntry, type PeerInfo, type TrackedAttribute } from './device.ts';
import { addressMismatch, identityChangedEntry, identityStep } from './identity.ts';

export interface Reconciled {
  device: Device;
  entries: Omit<HistoryEntry, 'seq'>[];
  outcome: 'new' | 'changed' | 'unchanged';
  /** The certificate this serial presents changed with this announcement. */
  identityChanged?: boolean;
}

const normMac = (mac: string) => mac.toLowerCase().replace(/-/g, ':');

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function reconcile(previous: Device | undefined, ann: Announcement, peer: PeerInfo, now: Date): Reconciled {
  const d = ann.device;
  const at = now.toISOString();
  const attrs: Pick<Device, TrackedAttribute> = {
    macAddress: normMac(d.macAddress), model: d.model, ipv4: d.ipv4, ipv6: d.ipv6, hostname: d.hostname,
    firmware: d.firmware, authMode: d.authMode, snmpPort: d.snmpPort,
  };
  const mismatch = addressMismatch([d.ipv4, ...(d.ipv6 ?? [])], peer.address, at);
  const base = { at, via: 'announcement' as const, reason: ann.reason, messageId: ann.messageId, peerAddress: peer.address, ...(mismatch ? { claimedAddresses: mismatch.claimed } : {}) };
  const identity = identityStep(previous, peer.clientCert, peer.relayed ?? false, peer.address, at);
  const device: Device = {
    ...previous,
    serialNumber: d.serialNumber,
    ...attrs,
    discoveredBy: previous?.discoveredBy ?? 'instant-on',
    foundBy: { ...previous?.foundBy, announcement: { first: previous?.foundBy?.announcement?.first ?? at, last: at } },
    firstSeen: previous?.firstSeen ?? at,
    lastSeen: at,
    lastReason: ann.reason,
    lastMessageId: ann.messageId,
    peerAddress: peer.address,
    announceCount: (previous?.announceCount ?? 0) + 1,
    // A mismatch stays on record while it lasts (since when), and is cleared by an announcement that agrees.
    addressMismatch: mismatch && previous?.addressMismatch && sameValue(previous.addressMismatch.claimed, mismatch.claimed) && previous.addressMismatch.actual === mismatch.actual
      ? previous.addressMismatch : mismatch,
    authMethod: peer.authMethod,
    clientCert: identity.clientCert,
    trustedCert: identity.trustedCert,
    identityChange: identity.change ?? previous?.identityChange,
    lastAuth: peer.lastAuth ?? previous?.lastAuth,
    forwardedBy: ann.forwardedBy,
    historySeq: previous?.historySeq ?? 0,
  };
  if (!previous) return { device, entries: [{ ...base, kind: 'discovered' }], outcome: 'new', identityChanged: false };

  const changes: NonNullable<HistoryEntry['changes']> = {};
  for (const key of TRACKED_ATTRIBUTES) {
    // An attribute the device stopped sending is kept as last known rather than erased: optional fields are
    // often omitted by firmware that has nothing new to say.
    if (attrs[key] === undefined) { (device as any)[key] = previous[key]; continue; }
    if (!sameValue(previous[key], attrs[key])) changes[key] = { from: previous[key], to: attrs[key] };
  }
  const entries: Omit<HistoryEntry, 'seq'>[] = [{ ...base, kind: 'announcement' }];
  // A MAC learnt for the first time (a printer found by a sweep that did not tell it) is no new formatter.
  const formatter = changes.macAddress && previous.macAddress !== '';
  if (Object.keys(changes).length > 0) {
    entries.push({ ...base, kind: formatter ? 'formatter-replaced' : 'attributes-changed', changes });
  }
  if (identity.change) entries.push(identityChangedEntry(identity.change, base));
  const changed = Object.keys(changes).length > 0 || Boolean(identity.change);
  return { device, entries, outcome: changed ? 'changed' : 'unchanged', identityChanged: Boolean(identity.change) };
}
