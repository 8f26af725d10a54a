// What the appliance answers to one decoded announcement (HDAP.md §4–§5), in order: discovery switched off,
// relay rules (loops, unknown relays), authentication and serial-list hooks, then the durable write. Only
// after the registry's write is on disk does the device hear `accepted`.
import { X509Certificate } from 'node:crypto';
import type { Logger } from '../util/log.ts';
import type { Acknowledge, AckReason, Announcement } from '../protocol/index.ts';
import type { DeviceRegistry, RecordResult } from '../devices/index.ts';
import type { StoreOp } from '../store/index.ts';
import type { ClientCertInfo, LastAuth } from '../devices/index.ts';
import type { AnnouncementHandler, PeerContext } from './listener.ts';

export const MAX_FORWARD_HOPS = 8;

export type Verdict =
  | { ok: true; authMethod: 'anonymous' | 'mutual'; lastAuth?: LastAuth }
  | { ok: false; reason: AckReason; authMethod: 'anonymous' | 'mutual'; detail: string; lastAuth?: LastAuth };

export interface IntakeDeps {
  registry: DeviceRegistry;
  acceptAnnouncements: () => boolean;
  listenerId: () => string;
  relayPeers: () => string[];
  /** Authentication mode and serial-list checks (issue 7); default: anonymous, everyone allowed. */
  authorize?: (ann: Announcement, peer: PeerContext) => Verdict;
  /** Extra operations stored atomically with the device (forwarding outbox). */
  extraOps?: (ann: Announcement, peer: PeerContext, r: RecordResult) => StoreOp[];
  /** Called after the durable write, for follow-up work (tasks, events); must not throw. */
  afterAccept?: (ann: Announcement, r: RecordResult) => void;
  /** The durable write failed (the device hears busy): undo what extraOps reserved. */
  onRecordFailed?: (ann: Announcement) => void;
  /** The messageId was stored before (an at-least-once relay repeated): acknowledge again, record nothing. */
  isDuplicate?: (ann: Announcement) => boolean;
  /** Reports the store's queued ops so we can answer busy instead of growing memory without bound. */
  backlog?: () => number;
  maxBacklog?: number;
  log: Logger;
}

const stripV4Mapped = (a: string) => a.replace(/^::ffff:/, '');
const dn = (text: string) => text.split('\n').filter(Boolean).join(', ');

/** The certificate the device presented (printers send a self-signed one when not mutually authenticated). */
export function presentedCertificate(peer: PeerContext): ClientCertInfo | undefined {
  if (!peer.certChain.length) return undefined;
  try {
    const c = new X509Certificate(peer.certChain[0]);
    return { subject: dn(c.subject), issuer: dn(c.issuer), fingerprint256: c.fingerprint256, validFrom: new Date(c.validFrom).toISOString(),
      validTo: new Date(c.validTo).toISOString(), selfSigned: c.checkIssued(c) && c.verify(c.publicKey) };
  } catch {
    // TLS accepted it, so it parses; should it not, the fingerprint the handshake computed still identifies it.
    return peer.clientCert ? { subject: peer.clientCert.subject, issuer: peer.clientCert.issuer, fingerprint256: peer.clientCert.fingerprint256, validTo: peer.clientCert.validTo } : undefined;
  }
}

export function createIntake(deps: IntakeDeps): AnnouncementHandler {
  return async (ann, peer) => {
    const reject = (reason: AckReason, detail: string, authMethod: 'anonymous' | 'mutual' = 'anonymous', retryAfterSeconds = 0): Acknowledge => {
      deps.log.info({ peer: peer.address, serial: ann.device.serialNumber, messageId: ann.messageId, reason, detail }, 'announcement rejected');
      return { messageId: ann.messageId, status: 'rejected', reason, authMethod, retryAfterSeconds };
    };
    if (!deps.acceptAnnouncements()) return reject('discovery-disabled', 'acceptAnnouncements is off');

    const hops = ann.forwardedBy ?? [];
    if (hops.length > 0) {
      const me = deps.listenerId();
      if (hops.length > MAX_FORWARD_HOPS) return reject('loop-detected', `forwardedBy has ${hops.length} entries (max ${MAX_FORWARD_HOPS})`);
      if (hops.some((h) => h.listenerId === me)) return reject('loop-detected', `forwardedBy already names ${me}`);
      if (!deps.relayPeers().map(stripV4Mapped).includes(stripV4Mapped(peer.address))) {
        return reject('auth-failed', `${peer.address} is not a configured primary listener allowed to relay`);
      }
    }

    const verdict = deps.authorize?.(ann, peer) ?? ({ ok: true, authMethod: 'anonymous' } as Verdict);
    if (!verdict.ok) return reject(verdict.reason, verdict.detail, verdict.authMethod);

    if (deps.isDuplicate?.(ann)) {
      deps.log.debug({ peer: peer.address, serial: ann.device.serialNumber, messageId: ann.messageId }, 'repeated messageId acknowledged again, not recorded');
      return { messageId: ann.messageId, status: 'accepted', reason: 'ok', authMethod: verdict.authMethod, retryAfterSeconds: 0 };
    }
    if (deps.backlog && deps.backlog() > (deps.maxBacklog ?? 50_000)) return reject('busy', 'store backlog is full', verdict.authMethod, 30);

    let result: RecordResult;
    try {
      // The SNMP target: where the announcement came from (for a relay from a configured relay peer, the
      // original peer it reports), never an address the body names. The certificate is the device's only
      // when it connected itself.
      result = await deps.registry.record(ann, {
        address: hops.length > 0 ? hops[0].peerAddress : peer.address,
        authMethod: verdict.authMethod,
        clientCert: hops.length > 0 ? undefined : presentedCertificate(peer),
        relayed: hops.length > 0,
        lastAuth: verdict.lastAuth,
      }, (r) => deps.extraOps?.(ann, peer, r) ?? []);
    } catch (err) {
      deps.onRecordFailed?.(ann);
      throw err;
    }
    // New devices at info (an admin watching the log sees them arrive); routine re-announcements at debug.
    deps.log[result.outcome === 'new' ? 'info' : 'debug']({ peer: peer.address, serial: ann.device.serialNumber, model: ann.device.model,
      reason: ann.reason, outcome: result.duplicate ? 'duplicate' : result.outcome }, result.outcome === 'new' ? 'device discovered' : 'announcement accepted');
    if (result.identityChanged) {
      const c = result.device.identityChange!;
      deps.log.warn({ serial: ann.device.serialNumber, peer: peer.address, from: c.from?.fingerprint256 ?? null, to: c.to?.fingerprint256 ?? null, previousPeer: c.fromAddress },
        'the certificate this serial presents changed (identity changed)');
    }
    if (result.device.addressMismatch && result.device.addressMismatch.at === result.device.lastSeen && !result.duplicate) {
      deps.log.info({ serial: ann.device.serialNumber, peer: peer.address, claimed: result.device.addressMismatch.claimed }, 'the announcement claims another address than it came from; SNMP goes to where it came from');
    }
    try { deps.afterAccept?.(ann, result); } catch (err) { deps.log.error({ err }, 'afterAccept hook failed'); }
    return { messageId: ann.messageId, status: 'accepted', reason: 'ok', authMethod: verdict.authMethod, retryAfterSeconds: 0 };
  };
}
