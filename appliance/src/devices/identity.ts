// A device's identity beyond the serial it claims (issue 12 §3). Anyone on the LAN can announce any serial
// from any address; what they cannot do is present the printer's certificate without its private key. So
// the certificate a serial presents is remembered (the first one seen, or the one an admin approved), a
// change is an event, and with strictDeviceIdentity a device presenting anything else gets no SNMP (its
// credentials are sent nowhere) until an admin approves. The address SNMP goes to is always the one the
// announcement came from, never one its body names.
import type { AddressMismatch, ClientCertInfo, Device, HistoryEntry, IdentityChange } from './device.ts';

const norm = (a: string) => a.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
const fp = (c: ClientCertInfo | null | undefined) => c?.fingerprint256 ?? null;

/** The addresses the body claims, when none of them is the one it came from. */
export function addressMismatch(claimed: Array<string | undefined>, actual: string, at: string): AddressMismatch | undefined {
  const list = claimed.filter((a): a is string => Boolean(a));
  if (list.length === 0 || list.some((a) => norm(a) === norm(actual))) return undefined;
  return { claimed: list, actual, at };
}

/** The identity on record for a device stored before identities were kept: what it presented last. */
const trustedOf = (d: Device): ClientCertInfo | null => (d.trustedCert !== undefined ? d.trustedCert : d.clientCert ?? null);

/**
 * What a new announcement does to the identity. A relayed announcement carries no certificate of the device
 * (the relay's own is not the printer's), so it neither sets nor changes one.
 */
export function identityStep(previous: Device | undefined, presented: ClientCertInfo | undefined, relayed: boolean, address: string, at: string):
  Pick<Device, 'clientCert' | 'trustedCert'> & { change?: IdentityChange } {
  if (relayed) return { clientCert: previous?.clientCert, trustedCert: previous ? previous.trustedCert : undefined };
  // The first announcement (a device found by a discovery sweep has presented nothing yet) sets the identity.
  if (!previous || previous.lastMessageId === undefined) return { clientCert: presented, trustedCert: presented ?? null };
  const trustedCert = trustedOf(previous);
  if (fp(previous.clientCert) === fp(presented)) return { clientCert: presented, trustedCert };
  return { clientCert: presented, trustedCert, change: { at, from: previous.clientCert ?? null, to: presented ?? null, fromAddress: previous.peerAddress, toAddress: address } };
}

export function identityChangedEntry(c: IdentityChange, base: Omit<HistoryEntry, 'seq' | 'kind'>): Omit<HistoryEntry, 'seq'> {
  return { ...base, kind: 'identity-changed', identity: { from: c.from, to: c.to } };
}

/** The device presents something other than the identity on record. */
export function isIdentityPending(d: Device): boolean {
  return fp(d.clientCert) !== fp(trustedOf(d));
}

/** Why SNMP to this device is held, or undefined when it may go ahead. */
export function identityHold(d: Device, strict: boolean): string | undefined {
  if (!strict || !isIdentityPending(d)) return undefined;
  return `the certificate this serial presents changed${d.identityChange ? ` on ${d.identityChange.at}` : ''} (strictDeviceIdentity): no SNMP until an admin approves the new identity`;
}

/** The patch and history entry that make the presented certificate the identity on record. */
export function approveIdentity(d: Device, by: string, at: string): { patch: Partial<Device>; entry: Omit<HistoryEntry, 'seq'> } | undefined {
  if (!isIdentityPending(d)) return undefined;
  return {
    patch: { trustedCert: d.clientCert ?? null, identityApproved: { at, by } },
    entry: { at, kind: 'identity-approved', reason: d.lastReason, messageId: d.lastMessageId, peerAddress: d.peerAddress,
      identity: { from: trustedOf(d), to: d.clientCert ?? null, approvedBy: by } },
  };
}

/** The identity fields the API shows, with the derived state. */
export function identityView(d: Device, strict: boolean) {
  return { pending: isIdentityPending(d), held: Boolean(identityHold(d, strict)), presented: d.clientCert ?? null, onRecord: trustedOf(d),
    lastChange: d.identityChange ?? null, approved: d.identityApproved ?? null, addressMismatch: d.addressMismatch ?? null };
}
