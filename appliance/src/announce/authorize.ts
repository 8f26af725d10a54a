// Who may announce (HDAP.md §2): the server's authentication mode and the serial-number list. Every attempt
// is described (method, result, certificate) so the device's record shows its last authentication, and a
// refusal carries the name of the check that failed.
import type { Logger } from '../util/log.ts';
import type { Announcement } from '../protocol/index.ts';
import type { LastAuth } from '../devices/index.ts';
import type { PeerContext } from './listener.ts';
import type { Verdict } from './intake.ts';

type VerifyResult = { ok: true; subject: string; fingerprint: string; issuer: string; warnings?: string[] } | { ok: false; reason: string; detail: string; subject?: string; fingerprint?: string };

export interface AuthorizerDeps {
  mode: () => 'none' | 'mutual';
  useSerialList: () => boolean;
  verify: (chain: Buffer[]) => VerifyResult;
  serials: { has(serial: string): boolean; noteUnlisted(serial: string, peer: string, model?: string): void };
  /** A refused announcement of a known device is still written to its record (last authentication attempt). */
  noteRefusal: (serial: string, auth: LastAuth) => void;
  log: Logger;
}

export function createAuthorizer(deps: AuthorizerDeps): (ann: Announcement, peer: PeerContext) => Verdict {
  return (ann, peer) => {
    const serial = ann.device.serialNumber;
    const relayed = (ann.forwardedBy?.length ?? 0) > 0;
    const at = new Date().toISOString();
    const mode = deps.mode();
    let auth: LastAuth = { at, mode, method: 'anonymous', result: 'ok' };
    // A relay's certificate is the relaying listener's, not the device's: relayed announcements are judged on
    // the device's data (the relay peer itself is checked against relayPeers before we get here).
    if (!relayed && peer.certChain.length > 0) {
      const v = deps.verify(peer.certChain);
      auth = v.ok
        ? { at, mode, method: 'mutual', result: 'ok', subject: v.subject, fingerprint: v.fingerprint, warnings: v.warnings?.length ? v.warnings : undefined }
        : { at, mode, method: 'anonymous', result: v.reason, detail: v.detail, subject: v.subject ?? peer.clientCert?.subject, fingerprint: v.fingerprint ?? peer.clientCert?.fingerprint256 };
    } else if (!relayed) {
      auth = { at, mode, method: 'anonymous', result: 'no-certificate' };
    }
    if (mode === 'mutual' && !relayed && auth.method !== 'mutual') {
      const reason = auth.result === 'no-certificate' ? 'auth-required' : 'auth-failed';
      deps.log.warn({ peer: peer.address, serial, check: auth.result, detail: auth.detail }, 'mutual authentication refused');
      deps.noteRefusal(serial, auth);
      return { ok: false, reason, authMethod: 'anonymous', detail: `${auth.result}${auth.detail ? `: ${auth.detail}` : ''}`, lastAuth: auth };
    }
    if (deps.useSerialList() && !deps.serials.has(serial)) {
      deps.serials.noteUnlisted(serial, peer.address, ann.device.model);
      return { ok: false, reason: 'serial-not-listed', authMethod: auth.method, detail: `${serial} is not on the serial-number list`, lastAuth: auth };
    }
    // In no-authentication mode a bad certificate is recorded, not required.
    return { ok: true, authMethod: auth.method, lastAuth: auth.result === 'no-certificate' ? { ...auth, result: 'ok' } : auth };
  };
}
