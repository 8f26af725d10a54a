// An HTTP/1.1 client over one kept-alive TLS connection that sends the request line exactly as given (bytes
// Node's own client refuses to send: raw UTF-8, backslashes, absolute-form targets, odd method spellings),
// for tests that try every spelling of a path. Reconnects when the server closes the connection.
import { connect as netConnect } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';

export interface RawResponse { status: number; headers: Record<string, string>; body: string }

export class RawHttps {
  private socket?: TLSSocket;
  private buffer = Buffer.alloc(0);
  private waiter?: () => void;
  private closed = true;
  connections = 0;

  constructor(private readonly port: number, private readonly host = '127.0.0.1', private readonly localAddress?: string) {}

  private async open() {
    this.buffer = Buffer.alloc(0);
    this.closed = false;
    this.connections++;
    const tcp = netConnect({ host: this.host, port: this.port, localAddress: this.localAddress });
    const socket = connect({ socket: tcp, servername: undefined, rejectUnauthorized: false });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => { socket.once('secureConnect', () => resolve()); socket.once('error', reject); });
    socket.on('data', (d: Buffer) => { if (this.socket !== socket) return; this.buffer = Buffer.concat([this.buffer, d]); this.waiter?.(); });
    const gone = () => { if (this.socket !== socket) return; this.closed = true; this.waiter?.(); };
    socket.on('close', gone);
    socket.on('error', gone);
  }

  private async more(deadline: number) {
    if (this.closed) throw new Error('connection closed');
    if (Date.now() > deadline) throw new Error('response timed out');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 200);
      this.waiter = () => { clearTimeout(timer); this.waiter = undefined; resolve(); };
    });
  }

  /** Sends `METHOD target HTTP/1.1` with the headers (Host added) and an optional body; reads one response. */
  async request(method: string, target: string | Buffer, headers: Record<string, string> = {}, body?: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
    try {
      return await this.once(method, target, headers, body, timeoutMs);
    } catch (err: any) {
      // The server may have closed an idle kept-alive connection just as we wrote: one fresh try.
      if (err?.message !== 'connection closed' || this.buffer.length) throw err;
      this.close();
      return this.once(method, target, headers, body, timeoutMs);
    }
  }

  private async once(method: string, target: string | Buffer, headers: Record<string, string>, body: string | Buffer | undefined, timeoutMs: number): Promise<RawResponse> {
    if (this.closed) await this.open();
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const lines = [`host: ${this.host}:${this.port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    if (payload) lines.push(`content-length: ${payload.length}`);
    const head = Buffer.concat([Buffer.from(`${method} `), Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1'), Buffer.from(` HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`)]);
    this.socket!.write(payload ? Buffer.concat([head, payload]) : head);
    const deadline = Date.now() + timeoutMs;
    let end: number;
    while ((end = this.buffer.indexOf('\r\n\r\n')) < 0) await this.more(deadline);
    const headText = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headText[0])?.[1] ?? 0);
    const h: Record<string, string> = {};
    for (const l of headText.slice(1)) { const i = l.indexOf(':'); if (i > 0) h[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim(); }
    let rest = this.buffer.subarray(end + 4);
    let text = '';
    if (method !== 'HEAD' && status !== 204 && status !== 304) {
      if (h['content-length'] !== undefined) {
        const n = Number(h['content-length']);
        while (rest.length < n) { this.buffer = rest; await this.more(deadline); rest = this.buffer; }
        text = rest.subarray(0, n).toString('utf8');
        rest = rest.subarray(n);
      } else if (/chunked/i.test(h['transfer-encoding'] ?? '')) {
        const parts: Buffer[] = [];
        for (;;) {
          let nl: number;
          while ((nl = rest.indexOf('\r\n')) < 0) { this.buffer = rest; await this.more(deadline); rest = this.buffer; }
          const size = parseInt(rest.subarray(0, nl).toString('latin1'), 16);
          while (rest.length < nl + 2 + size + 2) { this.buffer = rest; await this.more(deadline); rest = this.buffer; }
          parts.push(rest.subarray(nl + 2, nl + 2 + size));
          rest = rest.subarray(nl + 2 + size + 2);
          if (size === 0) break;
        }
        text = Buffer.concat(parts).toString('utf8');
      } else {
        // No length: the body runs to the close.
        while (!this.closed) { this.buffer = rest; await this.more(deadline).catch(() => undefined); rest = this.buffer; }
        text = rest.toString('utf8');
        rest = Buffer.alloc(0);
      }
    }
    this.buffer = rest;
    if (/close/i.test(h.connection ?? '')) this.close();
    return { status, headers: h, body: text };
  }

  close() {
    this.closed = true;
    this.socket?.destroy();
    this.socket = undefined;
  }
}
