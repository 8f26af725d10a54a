// A plain HDAP/1 listener written for the forwarding tests from HDAP.md alone (not the appliance's
// listener): TLS, frames read one by one, each Announcement acknowledged `accepted` in order. It records
// what arrived and how many TLS sessions were completed, so a test can tell "received nothing".
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { FrameDecoder, FrameType, encodeFrame } from '../../appliance/src/protocol/frame.ts';
import type { Announcement } from '../../appliance/src/protocol/messages.ts';

export interface PlainListener {
  port: number;
  received: Announcement[];
  sessions: number;
  handshakeErrors: string[];
  close(): Promise<void>;
}

export async function startPlainListener(opts: { key: string; cert: string }): Promise<PlainListener> {
  const state = { received: [] as Announcement[], sessions: 0, handshakeErrors: [] as string[] };
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({ key: opts.key, cert: opts.cert, minVersion: 'TLSv1.2' }, (socket) => {
    state.sessions++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.type !== FrameType.Announcement) { socket.destroy(); return; }
        const ann = JSON.parse(frame.body.toString('utf8')) as Announcement;
        state.received.push(ann);
        socket.write(encodeFrame(FrameType.Acknowledge, { messageId: ann.messageId, status: 'accepted', reason: 'ok', authMethod: 'anonymous', retryAfterSeconds: 0 }));
      }
    });
  });
  server.on('tlsClientError', (err) => state.handshakeErrors.push(err.message));
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  return Object.assign(state, {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  }) as PlainListener;
}
