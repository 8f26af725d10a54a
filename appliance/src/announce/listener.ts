// The TLS listener on 3329 (HDAP.md §2–§3). It owns sockets, limits and framing; what to answer is decided by
// the AnnouncementHandler it is given, so the same listener serves the appliance, the hub and the tests.
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../util/log.ts';
import type { Frame } from '../protocol/frame.ts';
import { hdapCodec, type Codec } from '../protocol/codec.ts';
import type { Acknowledge, Announcement } from '../protocol/messages.ts';
import { HandshakeGate } from './handshake-gate.ts';
import { peerCertificateChain } from '../pki/verify-client.ts';
import type { CaptureSink } from './capture.ts';
import { Connection } from './connection.ts';

export interface PeerContext {
  address: string;
  port: number;
  tlsVersion: string | null;
  /** The client certificate chain as presented (leaf first, DER), empty when none was sent. */
  certChain: Buffer[];
  clientCert?: { subject: string; issuer: string; fingerprint256: string; validTo: string };
}

export type AnnouncementHandler = (ann: Announcement, peer: PeerContext) => Promise<Acknowledge>;

export interface ListenerOptions {
  host: string;
  port: number;
  key: string;
  cert: string;
  ca?: string[];
  handler: AnnouncementHandler;
  limits: () => { frameTimeoutMs: number; maxHandshakes: number; maxPerSource: number; maxWaiting?: number; capture: boolean };
  capture?: CaptureSink;
  codec?: Codec;
  log: Logger;
}

const dn = (o: Record<string, string | string[]> | undefined) => o ? Object.entries(o).map(([k, v]) => `${k}=${v}`).join(', ') : '';

export class AnnouncementListener {
  // A plain TCP server: the TLS handshake is started by us, when the gate gives a connection its slot.
  private server: net.Server;
  private context: tls.SecureContext;
  private sockets = new Set<tls.TLSSocket>();
  private inFlight = new Set<Promise<unknown>>();
  private readonly gate: HandshakeGate;
  private readonly codec: Codec;
  readonly counters = { connections: 0, announcements: 0, accepted: 0, rejected: {} as Record<string, number>, closed: {} as Record<string, number> };

  constructor(private readonly opts: ListenerOptions) {
    this.codec = opts.codec ?? hdapCodec;
    this.context = this.makeContext(opts);
    this.gate = new HandshakeGate(() => {
      const l = opts.limits();
      return { maxHandshakes: l.maxHandshakes, maxPerSource: l.maxPerSource, maxWaiting: l.maxWaiting ?? 4096, maxWaitMs: l.frameTimeoutMs };
    });
    // pauseOnConnect: a waiting connection reads nothing until its handshake starts.
    this.server = net.createServer({ pauseOnConnect: true }, (raw) => this.onTcp(raw));
  }

  get address() { return this.server.address() as net.AddressInfo; }

  private makeContext(ctx: { key: string; cert: string; ca?: string[] }) {
    return tls.createSecureContext({ key: ctx.key, cert: ctx.cert, ca: ctx.ca && ctx.ca.length ? ctx.ca : undefined, minVersion: 'TLSv1.2' });
  }

  /** New identity or trusted CAs: later handshakes use them (existing connections keep theirs). */
  updateContext(ctx: { key: string; cert: string; ca?: string[] }) {
    this.context = this.makeContext(ctx);
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.opts.host, port: this.opts.port }, () => { this.server.off('error', reject); resolve(); });
    });
  }

  stats() { return { ...this.counters, limits: this.gate.stats(), open: this.sockets.size }; }

  /** Stops accepting, lets in-flight acknowledges finish (up to graceMs), then closes what is left. */
  async close(graceMs = 5000): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const raw of this.gate.drain()) raw.destroy();
    const deadline = new Promise((r) => setTimeout(r, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private count(kind: 'rejected' | 'closed', reason: string) {
    this.counters[kind][reason] = (this.counters[kind][reason] ?? 0) + 1;
  }

  private onTcp(raw: net.Socket) {
    const source = raw.remoteAddress ?? 'unknown';
    raw.on('error', () => undefined); // a reset while waiting is not worth more than the close it causes
    const admitted = this.gate.admit(raw, source, (done) => this.handshake(raw, done));
    if (!admitted.ok) {
      this.count('closed', admitted.reason);
      this.opts.log.warn({ peer: source, reason: admitted.reason }, 'connection refused by flood guard');
      raw.destroy();
    }
  }

  /** HDAP.md §2: always *request* a client certificate; whether one is required is decided per mode after
   *  the handshake, so a refused device still gets a named Acknowledge. */
  private handshake(raw: net.Socket, done: () => void) {
    const socket = new tls.TLSSocket(raw, { isServer: true, secureContext: this.context, requestCert: true, rejectUnauthorized: false });
    let settled = false;
    const finish = (ok: boolean, err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done();
      if (ok) return this.onSecure(socket);
      this.count('closed', err ? 'tls-error' : 'handshake-timeout');
      this.opts.log.info({ peer: raw.remoteAddress, err: err?.message ?? 'no TLS handshake within the frame deadline' }, 'TLS handshake failed');
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), this.opts.limits().frameTimeoutMs);
    socket.once('secure', () => finish(true));
    socket.once('error', (err) => finish(false, err));
    socket.once('close', () => finish(false, new Error('closed during the handshake')));
  }

  private onSecure(socket: tls.TLSSocket) {
    this.counters.connections++;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', (err) => this.opts.log.debug({ peer: socket.remoteAddress, err: err.message }, 'socket error'));
    new Connection(this, socket, this.peerContext(socket)).start();
  }

  /** @internal used by Connection */
  countPublic(kind: 'rejected' | 'closed', reason: string) { this.count(kind, reason); }
  /** @internal */
  get options() { return this.opts; }
  /** @internal */
  get wireCodec() { return this.codec; }

  /** Decodes one frame and asks the handler; never throws. */
  async answer(frame: Frame, peer: PeerContext): Promise<{ ack: Acknowledge; relay: boolean }> {
    this.counters.announcements++;
    const decoded = this.codec.decodeAnnouncement(frame);
    const authMethod = 'anonymous' as const;
    if (!decoded.ok) {
      this.count('rejected', 'malformed');
      this.opts.log.warn({ peer: peer.address, detail: decoded.detail, messageId: decoded.messageId }, 'rejected malformed announcement');
      return { ack: { messageId: decoded.messageId ?? '', status: 'rejected', reason: 'malformed', authMethod, retryAfterSeconds: 0 }, relay: false };
    }
    const relay = (decoded.announcement.forwardedBy?.length ?? 0) > 0;
    const p = this.opts.handler(decoded.announcement, peer);
    this.inFlight.add(p);
    try {
      const ack = await p;
      if (ack.status === 'accepted') this.counters.accepted++; else this.count('rejected', ack.reason);
      return { ack, relay };
    } catch (err) {
      // A store failure must not leave the device hanging: it is told busy and retries; we log loudly.
      this.opts.log.error({ err, peer: peer.address, messageId: decoded.announcement.messageId }, 'announcement handler failed');
      this.count('rejected', 'busy');
      return { ack: { messageId: decoded.announcement.messageId, status: 'rejected', reason: 'busy', authMethod, retryAfterSeconds: 60 }, relay: false };
    } finally {
      this.inFlight.delete(p);
    }
  }

  /** @internal */
  saveCapture(socket: tls.TLSSocket, peer: PeerContext, data: Buffer, startedAt: Date) {
    const cipher = socket.getCipher();
    this.opts.log.info({ peer: peer.address, bytes: data.length }, 'captured a non-HDAP stream');
    void this.opts.capture!.save({
      // Ordered by when the stream began, not when it ended: a slow close must not reorder the records.
      at: startedAt.toISOString(), peerAddress: peer.address, tlsVersion: socket.getProtocol(), cipher: cipher?.name ?? null,
      sni: (socket as any).servername || null,
      clientCert: peer.clientCert && { subject: peer.clientCert.subject, fingerprint256: peer.clientCert.fingerprint256 },
      bytes: data.length, dataBase64: data.toString('base64'),
    }).catch((err) => this.opts.log.error({ err }, 'could not save capture'));
  }

  private peerContext(socket: tls.TLSSocket): PeerContext {
    const cert = socket.getPeerCertificate(false) as tls.PeerCertificate;
    const has = cert && Object.keys(cert).length > 0 && cert.fingerprint256;
    return {
      // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; store the address the device really has.
      address: (socket.remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.)/, ''),
      port: socket.remotePort ?? 0,
      tlsVersion: socket.getProtocol(),
      certChain: has ? peerCertificateChain(socket) : [],
      clientCert: has ? { subject: dn(cert.subject as any), issuer: dn(cert.issuer as any), fingerprint256: cert.fingerprint256, validTo: cert.valid_to } : undefined,
    };
  }
}
