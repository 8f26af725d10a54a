// What the appliance knows about one printer. A device *is* its serial number (DESIGN.md "Identity");
// everything else is an attribute reconciled on each announcement or discovery.
import type { AnnounceReason, AnnouncedDevice, ForwardHop } from '../protocol/index.ts';

/** The ways a device can come to be known: its own announcement, a discovery sweep, an address an admin gave. */
export const FOUND_WAYS = ['announcement', 'discovery', 'manual'] as const;
export type FoundWay = (typeof FOUND_WAYS)[number];

/** When a device was found one way: first and last time, and (discovery, manual) the task that last found it. */
export interface FoundRecord { first: string; last: string; taskId?: string }

/** Every way the device was found, and when (a device found by a sweep and later announcing has both). */
export type FoundBy = Partial<Record<FoundWay, FoundRecord>>;

/** The first way a device was found, in the words of the vendor's device list. */
export type DiscoveredBy = 'instant-on' | 'auto-discovered' | 'manual';
export const DISCOVERED_BY: Record<FoundWay, DiscoveredBy> = { announcement: 'instant-on', discovery: 'auto-discovered', manual: 'manual' };


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
  /** Empty when the device was found by discovery and did not tell its MAC address. */
  macAddress: string;
  model: string;
  ipv4?: string;
  ipv6?: string[];
  hostname?: string;
  firmware?: string;
  authMode?: AnnouncedDevice['authMode'];
  snmpPort: number;
  /** How the device was first found (see foundBy for every way). */
  discoveredBy: DiscoveredBy;
  /** Every way the device was found and when: announcement, discovery, manual. */
  foundBy: FoundBy;
  /** 'other': a printer of another maker found by discovery; no catalog setting applies to it. Absent = HP. */
  vendor?: 'hp' | 'other';
  firstSeen: string;
  /** The last time the device was seen, whichever way. */
  lastSeen: string;
  /** Absent until the device announced. */
  lastReason?: AnnounceReason;
  lastMessageId?: string;
  /** Where it was last heard from: the announcement's source address (for a relay, the original peer the
   *  relay reports), or the address discovery reached. The only address SNMP is sent to. */
  peerAddress: string;
  addressMismatch?: AddressMismatch;
  /** The identity on record: the certificate (or none) first seen for this serial, or the one an admin
   *  approved. While the device presents another one and strictDeviceIdentity is on, it gets no SNMP. */
  trustedCert?: ClientCertInfo | null;
  identityApproved?: { at: string; by: string };
  identityChange?: IdentityChange;
  announceCount: number;
  /** How its last announcement authenticated; absent until the device announced. */
  authMethod?: 'anonymous' | 'mutual';
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
  /** Retired by an admin: kept with its history, left out of fleet counts and "all devices" runs. */
  retired?: { at: string; by: string; note?: string };
}

export interface ComplianceSetting {
  id: string; expected: unknown; before: unknown; actual: unknown; changed: boolean; compliant: boolean;
  supported: boolean; outcome: string; deviceAnswer?: string; setAnswer?: string;
  /** An unknown value reported by the device, or how a secret was judged. */
  note?: string;
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
  /** The device's own SNMP credential failed and a fallback (default, global) answered: fix or remove it. */
  credentialProblem?: string;
}

/** Attributes whose change is recorded in the device's history. */
export const TRACKED_ATTRIBUTES = ['macAddress', 'model', 'ipv4', 'ipv6', 'hostname', 'firmware', 'authMode', 'snmpPort'] as const;
export type TrackedAttribute = (typeof TRACKED_ATTRIBUTES)[number];

/** 'discovered': the device became known; 'found': known already, found a new way for the first time. */
export type HistoryKind = 'discovered' | 'found' | 'announcement' | 'attributes-changed' | 'formatter-replaced' | 'assessment' | 'group-joined' | 'group-left'
  | 'retired' | 'reinstated' | 'identity-changed' | 'identity-approved';

export interface HistoryEntry {
  seq: number;
  at: string;
  kind: HistoryKind;
  /** Which way brought this entry (absent on entries written before discovery existed: announcement). */
  via?: FoundWay;
  /** The discovery task, for entries brought by discovery or manual discovery. */
  taskId?: string;
  /** Announcement entries: its reason and messageId. */
  reason?: AnnounceReason;
  messageId?: string;
  peerAddress?: string;
  changes?: Partial<Record<TrackedAttribute, { from: unknown; to: unknown }>>;
  /** The addresses the body claimed, when they were not the one it came from. */
  claimedAddresses?: string[];
  /** For identity-changed and identity-approved: the certificates before and after. */
  identity?: { from: ClientCertInfo | null; to: ClientCertInfo | null; approvedBy?: string };
  /** Retired / reinstated entries: who and why. */
  detail?: string;
  /** For kind 'assessment': the result and what it changed (settings id → from/to). */
  assessment?: { status: ComplianceRecord['status']; policyId: string; policyName: string; taskId: string; run: number;
    changed: Record<string, { from: unknown; to: unknown }>; nonCompliant: string[];
    /** Why it ran (the task's trigger; `announcement:<reason>` for Instant-On); absent on entries from before it was kept. */
    trigger?: string; groupName?: string };
  /** For kinds 'group-joined' and 'group-left': the group, and what caused the change. */
  group?: { id: string; name: string; cause: string };
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
