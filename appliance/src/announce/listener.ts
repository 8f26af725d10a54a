// The TLS listener on 3329 (HDAP.md §2–§3). It owns sockets, limits and framing; what to answer is decided by
// the AnnouncementHandler it is given, so the same listener serves the appliance, the hub and the tests.
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../util/log.ts';
import { ThrottledWarning } from '../util/log-throttle.ts';
import { hdapCodec, type Codec } from '../protocol/index.ts';
import { HandshakeGate } from './handshake-gate.ts';
import { peerCertificateChain } from '../pki/index.ts';
import { serverTlsOptions } from '../pki/index.ts';
import type { CaptureSink } from './capture.ts';
import { handle, newSessionCounters, type AnnouncementHandler, type PeerContext, type RefusalKind, type SessionDeps } from './connection.ts';

export type { AnnouncementHandler, PeerContext } from './connection.ts';

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
  private readonly gate: HandshakeGate;
  private readonly deps: SessionDeps;
  /** Connections refused by the gate or failing their handshake: at warn at most once per interval, with counts. */
  private readonly refusedConnections: ThrottledWarning<string>;
  readonly counters = newSessionCounters();

  constructor(private readonly opts: ListenerOptions) {
    this.context = tls.createSecureContext(serverTlsOptions(opts, { resumption: false }));
    this.gate = new HandshakeGate(() => {
      const l = opts.limits();
      return { maxHandshakes: l.maxHandshakes, maxPerSource: l.maxPerSource, maxWaiting: l.maxWaiting ?? 4096, maxWaitMs: l.frameTimeoutMs };
    });
    this.refusedConnections = new ThrottledWarning(opts.log, 'announcement connection closed before a session');
    this.deps = {
      codec: opts.codec ?? hdapCodec,
      handler: opts.handler,
      log: opts.log,
      counters: this.counters,
      refusals: new ThrottledWarning<RefusalKind>(opts.log, 'rejected announcement input'),
      frameTimeoutMs: () => opts.limits().frameTimeoutMs,
      capture: () => null,
      inFlight: new Set(),
    };
    // pauseOnConnect: a waiting connection reads nothing until its handshake starts.
    this.server = net.createServer({ pauseOnConnect: true }, (raw) => this.onTcp(raw));
  }

  get address() { return this.server.address() as net.AddressInfo; }

  /** New identity or trusted CAs: later handshakes use them (existing connections keep theirs). */
  updateContext(ctx: { key: string; cert: string; ca?: string[] }) {
    this.context = tls.createSecureContext(serverTlsOptions(ctx, { resumption: false }));
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
    await Promise.race([Promise.allSettled([...this.deps.inFlight]), deadline]);
    for (const s of this.sockets) s.destroy();
    this.deps.refusals.close();
    this.refusedConnections.close();
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
      this.refusedConnections.note(admitted.reason, { peer: source, detail: 'connection refused by flood guard' });
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
      const reason = err ? 'tls-error' : 'handshake-timeout';
      this.count('closed', reason);
      // A port scanner fails handshakes by the thousand: one warn line per interval, the rest counted.
      this.refusedConnections.note(reason, { peer: raw.remoteAddress, err: err?.message ?? 'no TLS handshake within the frame deadline' });
      socket.destroy();
    };
    const timer = setTimeout(() => finish(false), this.opts.limits().frameTimeoutMs);
    socket.once('secure', () => finish(true));
    socket.once('error', (err) => finish(false, err));
    socket.once('close', () => finish(false, new Error('closed during the handshake')));
  }

  private onSecure(socket: tls.TLSSocket) {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', (err) => this.opts.log.debug({ peer: socket.remoteAddress, err: err.message }, 'socket error'));
    const peer = this.peerContext(socket);
    handle(socket, peer, { ...this.deps, capture: () => this.captureFor(socket, peer) });
  }

  /** Capture mode (HDAP.md §7) records the TLS parameters too, which only the listener knows. */
  private captureFor(socket: tls.TLSSocket, peer: PeerContext) {
    const sink = this.opts.capture;
    if (!sink || !this.opts.limits().capture) return null;
    return (data: Buffer, startedAt: Date) => {
      const cipher = socket.getCipher();
      this.opts.log.info({ peer: peer.address, bytes: data.length }, 'captured a non-HDAP stream');
      void sink.save({
        // Ordered by when the stream began, not when it ended: a slow close must not reorder the records.
        at: startedAt.toISOString(), peerAddress: peer.address, tlsVersion: socket.getProtocol(), cipher: cipher?.name ?? null,
        sni: (socket as tls.TLSSocket & { servername?: string | false }).servername || null,
        clientCert: peer.clientCert && { subject: peer.clientCert.subject, fingerprint256: peer.clientCert.fingerprint256 },
        bytes: data.length, dataBase64: data.toString('base64'),
      }).catch((err) => this.opts.log.error({ err }, 'could not save capture'));
    };
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
