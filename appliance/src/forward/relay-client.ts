// The relaying side of HDAP/1 (HDAP.md §3–§4): one TLS connection to a secondary listener, up to 1,000
// Announcements written one after another, the Acknowledges read back in order. With
// validateIdentityCertificate the listener's certificate must chain to our trusted CAs and name the host
// we dialled; otherwise the handshake is aborted before a single byte of an announcement is sent.
import tls from 'node:tls';
import { isIP } from 'node:net';
import { hdapCodec } from '../protocol/index.ts';
import type { Acknowledge, Announcement } from '../protocol/index.ts';

/** HDAP.md §3: a relaying listener may send up to 1,000 announcements on one connection. */
export const MAX_RELAY_FRAMES = 1000;

export interface RelayTarget {
  host: string;
  port: number;
  validateIdentityCertificate: boolean;
  /** PEM certificates the listener's identity must chain to (when validating). */
  trustedCaPem: string[];
  /** Local address to send from (the receiving hub lists it among its relay peers). */
  localAddress?: string;
  /** Our own identity, presented as the client certificate. */
  key?: string;
  cert?: string;
  timeoutMs: number;
}

export type RelayErrorCode = 'connect-failed' | 'certificate-invalid' | 'no-trusted-ca' | 'timeout' | 'closed' | 'bad-answer';

export class RelayError extends Error {
  constructor(readonly code: RelayErrorCode, message: string) { super(message); }
}

export interface RelayResult { acks: Acknowledge[]; error?: RelayError }

const CERT_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME|ISSUER/i;

/** Sends `anns` (at most 1,000) on a fresh connection; resolves with the acks received, in order, and why it stopped early. */
export function relayBatch(target: RelayTarget, anns: Announcement[]): Promise<RelayResult> {
  if (anns.length > MAX_RELAY_FRAMES) throw new RangeError(`at most ${MAX_RELAY_FRAMES} announcements per connection`);
  if (target.validateIdentityCertificate && target.trustedCaPem.length === 0) {
    return Promise.resolve({ acks: [], error: new RelayError('no-trusted-ca', 'validateIdentityCertificate is on but no trusted CA certificate is configured') });
  }
  return new Promise((resolve) => {
    const acks: Acknowledge[] = [];
    const decoder = hdapCodec.createDecoder();
    let settled = false;
    let secure = false;
    const socket = tls.connect({
      host: target.host, port: target.port, localAddress: target.localAddress || undefined,
      key: target.key, cert: target.cert,
      ca: target.validateIdentityCertificate ? target.trustedCaPem : undefined,
      rejectUnauthorized: target.validateIdentityCertificate,
      // SNI only for names; the default checkServerIdentity then matches the name, or the IP against IP SANs.
      servername: isIP(target.host) ? undefined : target.host,
      minVersion: 'TLSv1.2',
    } as tls.ConnectionOptions);
    let timer: NodeJS.Timeout;
    const arm = () => { clearTimeout(timer); timer = setTimeout(() => done(new RelayError('timeout', `no Acknowledge within ${target.timeoutMs} ms`)), target.timeoutMs); };
    const done = (error?: RelayError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) socket.destroy(); else socket.end();
      resolve({ acks, error });
    };
    arm();
    socket.once('secureConnect', () => {
      secure = true;
      arm();
      // Pipelined: the receiver reads the next frame only after answering the previous one (§3).
      socket.write(Buffer.concat(anns.map((a) => hdapCodec.encodeAnnouncement(a))));
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) {
          const decoded = hdapCodec.decodeAcknowledge(frame);
          if (!decoded.ok) return done(new RelayError('bad-answer', decoded.detail));
          const expected = anns[acks.length].messageId;
          if (decoded.ack.messageId !== expected) return done(new RelayError('bad-answer', `Acknowledge for ${decoded.ack.messageId}, expected ${expected}`));
          acks.push(decoded.ack);
          if (acks.length === anns.length) return done();
          arm();
        }
      } catch (err) {
        done(new RelayError('bad-answer', (err as Error).message));
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!secure && target.validateIdentityCertificate && CERT_ERROR.test(`${err.code} ${err.message}`)) {
        return done(new RelayError('certificate-invalid', `${err.code ?? 'TLS'}: ${err.message}`));
      }
      done(new RelayError(secure ? 'closed' : 'connect-failed', err.message));
    });
    socket.on('close', () => done(new RelayError('closed', `connection closed after ${acks.length} of ${anns.length} Acknowledges`)));
  });
}
