// What the appliance knows about one printer. A device *is* its serial number (DESIGN.md "Identity");
// everything else is an attribute reconciled on each announcement.
import type { AnnounceReason, AnnouncedDevice, ForwardHop } from '../protocol/messages.ts';

export interface ClientCertInfo { subject: string; fingerprint256: string; issuer?: string; validTo?: string }

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
  peerAddress: string;
  announceCount: number;
  authMethod: 'anonymous' | 'mutual';
  clientCert?: ClientCertInfo;
  forwardedBy?: ForwardHop[];
  /** Sequence of the newest history entry; entries older than the history limit are pruned. */
  historySeq: number;
}

/** Attributes whose change is recorded in the device's history. */
export const TRACKED_ATTRIBUTES = ['macAddress', 'model', 'ipv4', 'ipv6', 'hostname', 'firmware', 'authMode', 'snmpPort'] as const;
export type TrackedAttribute = (typeof TRACKED_ATTRIBUTES)[number];

export type HistoryKind = 'discovered' | 'announcement' | 'attributes-changed' | 'formatter-replaced';

export interface HistoryEntry {
  seq: number;
  at: string;
  kind: HistoryKind;
  reason: AnnounceReason;
  messageId: string;
  peerAddress: string;
  changes?: Partial<Record<TrackedAttribute, { from: unknown; to: unknown }>>;
}

export interface PeerInfo {
  address: string;
  authMethod: 'anonymous' | 'mutual';
  clientCert?: ClientCertInfo;
}
