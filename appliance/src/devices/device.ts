// What the appliance knows about one printer. A device *is* its serial number (DESIGN.md "Identity");
// everything else is an attribute reconciled on each announcement.
import type { AnnounceReason, AnnouncedDevice, ForwardHop } from '../protocol/messages.ts';

/** The certificate a device presented on 3329: CA-signed when mutually authenticated, else (printers) a
 *  self-signed one. Its fingerprint is the device's identity beyond the serial it claims. */
export interface ClientCertInfo { subject: string; fingerprint256: string; issuer?: string; validFrom?: string; validTo?: string; selfSigned?: boolean }

/** The announcement body named addresses other than the one it came from (SNMP never goes to those). */
export interface AddressMismatch { claimed: string[]; actual: string; at: string }

/** The latest change of the certificate this serial presents (it changed, appeared or disappeared). */
export interface IdentityChange {
  at: string;
  from: ClientCertInfo | null;
  to: ClientCertInfo | null;
  fromAddress: string;
  toAddress: string;
}

export interface Device {
  serialNumber: string;
  macAddress: string;
  model: string;
  ipv4?: string;
  ipv6?: string[];
  hostname?: string;
  firmware?: string;
  authMode?: AnnouncedDevice['authMode'];
  snmpPort: number;
  discoveredBy: 'instant-on' | 'auto-discovered';
  firstSeen: string;
  lastSeen: string;
  lastReason: AnnounceReason;
  lastMessageId: string;
  /** Where the announcement came from (the TCP peer; for a relay, the original peer the relay reports): the
   *  only address SNMP is sent to. */
  peerAddress: string;
  addressMismatch?: AddressMismatch;
  /** The identity on record: the certificate (or none) first seen for this serial, or the one an admin
   *  approved. While the device presents another one and strictDeviceIdentity is on, it gets no SNMP. */
  trustedCert?: ClientCertInfo | null;
  identityApproved?: { at: string; by: string };
  identityChange?: IdentityChange;
  announceCount: number;
  authMethod: 'anonymous' | 'mutual';
  clientCert?: ClientCertInfo;
  lastAuth?: LastAuth;
  forwardedBy?: ForwardHop[];
  /** Sequence of the newest history entry; entries older than the history limit are pruned. */
  historySeq: number;
  /** The latest assessment (issue 4), absent until the device was assessed. */
  compliance?: ComplianceRecord;
  lastPolicy?: { id: string; name: string; at: string };
  /** Which SNMP credential answered last time (a label, never a secret). */
  credentialRef?: { source: 'device' } | { source: 'default' } | { source: 'global'; index: number };
}

export interface ComplianceSetting {
  id: string; expected: unknown; before: unknown; actual: unknown; changed: boolean; compliant: boolean;
  supported: boolean; outcome: string; deviceAnswer?: string; setAnswer?: string;
}

export interface ComplianceRecord {
  status: 'compliant' | 'non-compliant' | 'remediated' | 'unsupported' | 'unreachable' | 'auth-failed';
  policyId: string;
  policyName: string;
  at: string;
  taskId: string;
  /** Which run of the task (an Instant-On task runs again when its device announced meanwhile). */
  run: number;
  remediate: boolean;
  settings: ComplianceSetting[];
  detail?: string;
  roundTrips?: number;
}

/** Attributes whose change is recorded in the device's history. */
export const TRACKED_ATTRIBUTES = ['macAddress', 'model', 'ipv4', 'ipv6', 'hostname', 'firmware', 'authMode', 'snmpPort'] as const;
export type TrackedAttribute = (typeof TRACKED_ATTRIBUTES)[number];

export type HistoryKind = 'discovered' | 'announcement' | 'attributes-changed' | 'formatter-replaced' | 'assessment' | 'identity-changed' | 'identity-approved';

export interface HistoryEntry {
  seq: number;
  at: string;
  kind: HistoryKind;
  reason: AnnounceReason;
  messageId: string;
  peerAddress: string;
  changes?: Partial<Record<TrackedAttribute, { from: unknown; to: unknown }>>;
  /** The addresses the body claimed, when they were not the one it came from. */
  claimedAddresses?: string[];
  /** For identity-changed and identity-approved: the certificates before and after. */
  identity?: { from: ClientCertInfo | null; to: ClientCertInfo | null; approvedBy?: string };
  /** For kind 'assessment': the result and what it changed (settings id → from/to). */
  assessment?: { status: ComplianceRecord['status']; policyId: string; policyName: string; taskId: string; run: number;
    changed: Record<string, { from: unknown; to: unknown }>; nonCompliant: string[] };
}

export interface PeerInfo {
  address: string;
  authMethod: 'anonymous' | 'mutual';
  /** The certificate presented on this connection; `undefined` for a relay (the relay's own is not the device's). */
  clientCert?: ClientCertInfo;
  relayed?: boolean;
  lastAuth?: LastAuth;
}

/** The device's last authentication attempt: what mode the server was in, what was achieved, why not. */
export interface LastAuth {
  at: string;
  mode: 'none' | 'mutual';
  method: 'anonymous' | 'mutual';
  /** 'ok' or the failed check (expired, untrusted-issuer, revoked, no-certificate, …). */
  result: string;
  detail?: string;
  subject?: string;
  fingerprint?: string;
  warnings?: string[];
}
