// An HDAP/1 client written from HDAP.md alone (no appliance code), so tests check the listener against the
// document rather than against our own codec.
import tls from 'node:tls';
import { randomUUID } from 'node:crypto';

export function frameBytes(body: Buffer | string | object, opts: { magic?: string; version?: number; type?: number; length?: number } = {}): Buffer {
  const json = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const head = Buffer.alloc(10);
  head.write(opts.magic ?? 'HDAP', 0, 'ascii');
  head[4] = opts.version ?? 1;
  head[5] = opts.type ?? 1;
  head.writeUInt32BE(opts.length ?? json.length, 6);
  return Buffer.concat([head, json]);
}

export function sampleAnnouncement(serial = 'CNB1K23456', extra: Record<string, unknown> = {}) {
  return {
    messageId: randomUUID(), sentAt: new Date().toISOString(), reason: 'initial-boot',
    device: { serialNumber: serial, macAddress: 'a0:d3:c1:12:34:56', model: 'HP Color LaserJet Enterprise MFP M480f',
      ipv4: '10.20.30.40', hostname: 'NPI123456', firmware: '2505252_000112', authMode: 'none', snmpPort: 161 },
    ...extra,
  };
}

export interface RawResult { acks: any[]; closed: boolean; bytes: Buffer }

/** Sends bytes over TLS and collects Acknowledge frames until the server closes (or timeoutMs passes). */
export function sendRaw(port: number, payload: Buffer | Buffer[], opts: { host?: string; timeoutMs?: number; localAddress?: string; keepOpenMs?: number } = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = tls.connect({ host: opts.host ?? '127.0.0.1', port, rejectUnauthorized: false, localAddress: opts.localAddress } as tls.ConnectionOptions);
    const timer = setTimeout(() => { socket.destroy(); finish(false); }, opts.timeoutMs ?? 5000);
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const bytes = Buffer.concat(chunks);
      const acks = [];
      let off = 0;
      while (bytes.length - off >= 10 && bytes.subarray(off, off + 4).toString('ascii') === 'HDAP') {
        const len = bytes.readUInt32BE(off + 6);
        if (bytes.length - off < 10 + len) break;
        acks.push({ type: bytes[off + 5], ...JSON.parse(bytes.subarray(off + 10, off + 10 + len).toString('utf8')) });
        off += 10 + len;
      }
      resolve({ acks, closed, bytes });
    };
    socket.once('secureConnect', () => {
      for (const p of Array.isArray(payload) ? payload : [payload]) socket.write(p);
    });
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => finish(true));
    socket.on('error', (err) => { if (!finished && chunks.length === 0 && !(err as any).code?.startsWith?.('ECONNRESET')) reject(err); });
  });
}
