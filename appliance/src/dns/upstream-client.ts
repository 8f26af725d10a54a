// Asks one upstream resolver one question: UDP first, TCP when the UDP answer is truncated (RFC 7766).
// Raw bytes in, raw bytes out — the forwarder relays what the upstream said (NXDOMAIN included) rather
// than re-encoding it, so nothing dns2 cannot represent gets lost on the way.
import dgram from 'node:dgram';
import net from 'node:net';
import { walkMessage, type MessageSummary } from './message-walk.ts';
import { canonicalName } from './local-zone.ts';

export interface Upstream {
  host: string;
  port: number;
  /** 'host:port' as configured, for logs. */
  label: string;
}

export interface UpstreamReply {
  response: Buffer;
  summary: MessageSummary;
  via: 'udp' | 'tcp';
}

/** 'host', 'host:port', '[v6]:port' or a bare IPv6 literal; port defaults to 53. */
export function parseUpstream(spec: string): Upstream {
  const s = spec.trim();
  let host = s;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1];
    if (bracketed[2]) port = Number(bracketed[2]);
  } else if (s.split(':').length === 2) {
    const [h, p] = s.split(':');
    host = h;
    port = Number(p);
  }
  if (!net.isIP(host)) throw new Error(`upstream ${JSON.stringify(spec)}: host must be an IP address`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`upstream ${JSON.stringify(spec)}: bad port`);
  return { host, port, label: s };
}

/** The reply answers our question: same id, QR set, same question (case-insensitively). */
export function answersQuery(reply: MessageSummary, query: MessageSummary): boolean {
  if (!reply.qr || reply.id !== query.id) return false;
  const rq = reply.question;
  const qq = query.question;
  if (!rq || !qq) return false;
  return rq.type === qq.type && rq.class === qq.class && canonicalName(rq.name) === canonicalName(qq.name);
}

export async function queryUpstream(up: Upstream, query: Buffer, querySummary: MessageSummary, timeoutMs: number): Promise<UpstreamReply> {
  const deadline = performance.now() + timeoutMs;
  const udp = await queryUdp(up, query, querySummary, timeoutMs);
  if (!udp.summary.tc) return udp;
  return queryTcp(up, query, querySummary, Math.max(1, deadline - performance.now()));
}

function queryUdp(up: Upstream, query: Buffer, qs: MessageSummary, timeoutMs: number): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(up.host) ? 'udp6' : 'udp4');
    let done = false;
    const finish = (err: Error | null, reply?: UpstreamReply) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        socket.close();
      } catch {
        /* already closed */
      }
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new Error(`upstream ${up.label} timed out after ${timeoutMs} ms (udp)`)), timeoutMs);
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg, rinfo) => {
      // Anything not from the upstream, or not answering our id and question, is ignored: spoof resistance.
      if (rinfo.port !== up.port || !sameAddress(rinfo.address, up.host)) return;
      const walked = walkMessage(msg);
      if (!walked.ok || !answersQuery(walked.summary, qs)) return;
      finish(null, { response: msg, summary: walked.summary, via: 'udp' });
    });
    socket.send(query, up.port, up.host, (err) => {
      if (err) finish(err);
    });
  });
}

function queryTcp(up: Upstream, query: Buffer, qs: MessageSummary, timeoutMs: number): Promise<UpstreamReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: up.host, port: up.port });
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (err: Error | null, reply?: UpstreamReply) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(new Error(`upstream ${up.label} timed out after ${Math.round(timeoutMs)} ms (tcp)`)), timeoutMs);
    socket.on('error', (err) => finish(err));
    socket.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      socket.write(Buffer.concat([len, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2) return;
      const need = buffered.readUInt16BE(0);
      if (buffered.length < 2 + need) return;
      const msg = Buffer.from(buffered.subarray(2, 2 + need));
      const walked = walkMessage(msg);
      if (!walked.ok || !answersQuery(walked.summary, qs)) return finish(new Error(`upstream ${up.label} sent a malformed or unrelated tcp reply`));
      finish(null, { response: msg, summary: walked.summary, via: 'tcp' });
    });
    socket.on('end', () => finish(new Error(`upstream ${up.label} closed the tcp connection before replying`)));
  });
}

function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  // A udp6 socket may report IPv4 peers as IPv4-mapped addresses.
  return a.replace(/^::ffff:/, '') === b.replace(/^::ffff:/, '');
}
