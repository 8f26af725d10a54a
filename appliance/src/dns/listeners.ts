// The UDP and TCP sockets of the responder.
//
// Why our own dgram/net servers instead of dns2's UDPServer/TCPServer: dns2's servers call Packet.parse
// inside their own 'message'/'readable' handlers, so the only way to look at the bytes first would be to
// override undocumented internals (UDPServer#handle, and for TCP a closure inside handle() that cannot be
// reached at all). Owning the sockets is less code and puts the guard, rate limit, in-flight cap and
// error containment in one obvious place; dns2 still does all DNS parsing and encoding (Packet).
import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from '../util/log.ts';
import type { MessageSummary } from './message-walk.ts';
import type { PacketGuard } from './packet-guard.ts';
import type { QueryHandler } from './query-handler.ts';

export interface ListenerLimits {
  /** Queries waiting on upstreams at once; beyond it further forwardable queries are dropped. */
  maxInFlight: number;
  maxTcpConnections: number;
  /** Open TCP connections from one address: one host must not take every slot of maxTcpConnections. */
  maxTcpPerSource: number;
  tcpIdleTimeoutMs: number;
}

interface Shared {
  guard: PacketGuard;
  handler: QueryHandler;
  log: Logger;
  limits: ListenerLimits;
  inFlight: { n: number };
}

export function startUdpListener(host: string, port: number, s: Shared): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4' });
  const reply = (buf: Buffer, rinfo: dgram.RemoteInfo) =>
    socket.send(buf, rinfo.port, rinfo.address, (err) => {
      if (err) s.log.debug({ err: err.message, to: rinfo.address }, 'dns udp send failed');
    });
  socket.on('message', (msg, rinfo) => {
    const summary = admit(s, msg, rinfo.address, 'udp');
    if (!summary) return;
    const local = answerLocally(s, msg, summary, 'udp', rinfo.address);
    if (local !== null) {
      if (local) reply(local, rinfo);
      return;
    }
    if (s.inFlight.n >= s.limits.maxInFlight) return void s.guard.reject('overload', rinfo.address, 'udp', msg.length);
    s.inFlight.n++;
    s.handler
      .answerForwarded(msg, summary, 'udp')
      .then((buf) => reply(buf, rinfo))
      .catch((err: Error) => contain(s, err, rinfo.address))
      .finally(() => s.inFlight.n--);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      try {
        // Absorb query bursts; the kernel clamps this to net.core.rmem_max.
        socket.setRecvBufferSize(1 << 20);
      } catch {
        /* not fatal */
      }
      // A socket error after bind (e.g. ICMP-induced) must be logged, never thrown.
      socket.on('error', (err) => s.log.warn({ err: err.message }, 'dns udp socket error'));
      resolve(socket);
    });
  });
}

export interface TcpListener {
  server: net.Server;
  /** Stop listening and drop open connections (server.close alone waits for every client to leave). */
  close(): Promise<void>;
}

export function startTcpListener(host: string, port: number, s: Shared): Promise<TcpListener> {
  const open = new Set<net.Socket>();
  const perSource = new Map<string, number>();
  const server = net.createServer((conn) => {
    const source = conn.remoteAddress ?? 'unknown';
    if (open.size >= s.limits.maxTcpConnections) {
      s.guard.reject('tcp-connection-limit', source, 'tcp', 0);
      conn.destroy();
      return;
    }
    const fromSource = perSource.get(source) ?? 0;
    if (fromSource >= s.limits.maxTcpPerSource) {
      s.guard.reject('tcp-per-source-limit', source, 'tcp', 0);
      conn.destroy();
      return;
    }
    perSource.set(source, fromSource + 1);
    open.add(conn);
    conn.on('close', () => {
      open.delete(conn);
      const left = (perSource.get(source) ?? 1) - 1;
      if (left <= 0) perSource.delete(source);
      else perSource.set(source, left);
    });
    conn.on('error', (err) => s.log.debug({ err: err.message, source }, 'dns tcp connection error'));
    conn.setTimeout(s.limits.tcpIdleTimeoutMs, () => conn.destroy());
    let buffered: Buffer = Buffer.alloc(0);
    conn.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      // RFC 1035 §4.2.2 framing; several queries may be pipelined in one read (RFC 7766 §6.2.1.1).
      while (buffered.length >= 2) {
        const need = buffered.readUInt16BE(0);
        if (buffered.length < 2 + need) break;
        const msg = Buffer.from(buffered.subarray(2, 2 + need));
        buffered = buffered.subarray(2 + need);
        if (!handleTcpMessage(conn, msg, source, s)) {
          // A stream that carried garbage cannot be trusted to be framed right afterwards.
          conn.destroy();
          return;
        }
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', (err) => s.log.warn({ err: err.message }, 'dns tcp server error'));
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const conn of open) conn.destroy();
          }),
      });
    });
  });
}

function handleTcpMessage(conn: net.Socket, msg: Buffer, source: string, s: Shared): boolean {
  const summary = admit(s, msg, source, 'tcp');
  if (!summary) return false;
  const write = (reply: Buffer) => {
    if (conn.destroyed || !conn.writable) return;
    const len = Buffer.alloc(2);
    len.writeUInt16BE(reply.length);
    conn.write(Buffer.concat([len, reply]));
  };
  const local = answerLocally(s, msg, summary, 'tcp', source);
  if (local !== null) {
    if (local) write(local);
    return true;
  }
  if (s.inFlight.n >= s.limits.maxInFlight) {
    s.guard.reject('overload', source, 'tcp', msg.length);
    return true;
  }
  s.inFlight.n++;
  s.handler
    .answerForwarded(msg, summary, 'tcp')
    .then(write)
    .catch((err: Error) => contain(s, err, source))
    .finally(() => s.inFlight.n--);
  return true;
}

/** The guard never throws by design; if it ever did, that packet is lost, not the process. */
function admit(s: Shared, msg: Buffer, source: string, transport: 'udp' | 'tcp'): MessageSummary | null {
  try {
    return s.guard.admit(msg, source, transport);
  } catch (err) {
    contain(s, err as Error, source);
    return null;
  }
}

/** The local reply; null when it must be forwarded; false when building it failed (contained, no reply). */
function answerLocally(s: Shared, msg: Buffer, summary: MessageSummary, transport: 'udp' | 'tcp', source: string): Buffer | null | false {
  try {
    return s.handler.answerLocally(msg, summary, transport, source);
  } catch (err) {
    contain(s, err as Error, source);
    return false;
  }
}

function contain(s: Shared, err: Error, source: string): void {
  s.handler.counters.handlerErrors++;
  s.log.warn({ err: err.message, source }, 'dns query handler failed; no reply sent');
}
