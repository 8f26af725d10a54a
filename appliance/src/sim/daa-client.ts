// The device side of HDAP/1 (a Device Announcement Agent): connect over TLS, send one Announcement, read one
// Acknowledge. Written from HDAP.md only, so it also checks that the listener follows the document.
import tls from 'node:tls';
import { randomUUID } from 'node:crypto';
import { hdapCodec } from '../protocol/index.ts';
import type { Acknowledge, Announcement } from '../protocol/index.ts';

export interface DaaTarget {
  host: string;
  port: number;
  /** Bind the connection to this local address (each simulated printer has its own loopback address). */
  localAddress?: string;
  key?: string;
  cert?: string;
  /** CA to validate the server against; without it the server certificate is not checked (mode none). */
  ca?: string;
  servername?: string;
  timeoutMs?: number;
}

export class DaaError extends Error {
  constructor(readonly code: 'connect-failed' | 'timeout' | 'no-answer' | 'bad-answer' | 'server-untrusted', message: string) { super(message); }
}

export function newAnnouncement(device: Announcement['device'], reason: Announcement['reason']): Announcement {
  return { messageId: randomUUID(), sentAt: new Date().toISOString(), reason, device };
}

/** Sends one announcement; resolves with the server's Acknowledge. */
export function announce(target: DaaTarget, ann: Announcement): Promise<Acknowledge> {
  return new Promise((resolve, reject) => {
    const timeoutMs = target.timeoutMs ?? 15_000;
    const decoder = hdapCodec.createDecoder();
    let settled = false;
    const socket = tls.connect({
      host: target.host, port: target.port, localAddress: target.localAddress,
      key: target.key, cert: target.cert, ca: target.ca,
      rejectUnauthorized: Boolean(target.ca),
      servername: target.servername ?? (/^[\d.:]+$/.test(target.host) ? undefined : target.host),
      minVersion: 'TLSv1.2',
      // localAddress is passed through to net.connect (typings omit it).
    } as tls.ConnectionOptions);
    const done = (err: Error | null, ack?: Acknowledge) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err); else resolve(ack!);
    };
    const timer = setTimeout(() => done(new DaaError('timeout', `no Acknowledge within ${timeoutMs} ms`)), timeoutMs);
    socket.once('secureConnect', () => socket.write(hdapCodec.encodeAnnouncement(ann)));
    socket.on('data', (chunk) => {
      try {
        for (const frame of decoder.push(chunk)) {
          const decoded = hdapCodec.decodeAcknowledge(frame);
          return decoded.ok ? done(null, decoded.ack) : done(new DaaError('bad-answer', decoded.detail));
        }
      } catch (err) {
        done(new DaaError('bad-answer', (err as Error).message));
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const untrusted = /certificate|self.signed|unable to verify|altnames/i.test(err.message);
      done(new DaaError(untrusted ? 'server-untrusted' : settled ? 'no-answer' : 'connect-failed', err.message));
    });
    socket.on('close', () => done(new DaaError('no-answer', 'connection closed without an Acknowledge')));
  });
}
