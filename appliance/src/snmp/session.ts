// One SNMP conversation with one device under one credential, as promises with typed failures.
// Every datagram we send is counted (the benchmark's "round trips", including v3 engine discovery
// and retries), by handing net-snmp a dgram module whose sockets count their sends.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import snmp, { type Session, type Varbind } from 'net-snmp';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from './protocols.ts';
import type { Credential } from './credentials.ts';
import { installKeyCache } from './key-cache.ts';

installKeyCache();

export type RequestFailure =
  /** No answer within timeout × (retries + 1). On real agents a wrong v2c community looks like this too. */
  | { kind: 'unreachable'; detail: string }
  /** v3: the agent answered with a usmStats report (wrong digest, unknown user, decryption error). */
  | { kind: 'auth-failed'; detail: string }
  | { kind: 'too-big'; detail: string }
  /** The agent answered with a non-zero error-status; `oid` is the varbind it blamed, when it said. */
  | { kind: 'error-status'; status: string; oid?: string; detail: string }
  /** A reply we could not make sense of (malformed, mismatched OIDs, unexpected PDU). */
  | { kind: 'invalid'; detail: string };

export type RequestResult = { ok: true; varbinds: Varbind[] } | { ok: false; failure: RequestFailure };

export interface SessionOptions {
  host: string;
  port: number;
  /** Per attempt. */
  timeoutMs: number;
  retries: number;
}


const MANAGER_ENGINE_ID = '8000B98380000000000000000000000001';

export class SnmpSession {
  /** Datagrams sent so far (requests, retries, v3 discovery). */
  roundTrips = 0;
  private readonly session: Session;
  private lastSocketError = '';

  constructor(
    private readonly opts: SessionOptions,
    private readonly credential: Credential,
  ) {
    this.session = this.open();
  }

  get(oids: string[]): Promise<RequestResult> {
    return this.request(this.session, (s, cb) => s.get(oids, cb));
  }

  /** GETNEXT: for each OID, the first object after it (walking a table column one row at a time). */
  getNext(oids: string[]): Promise<RequestResult> {
    return this.request(this.session, (s, cb) => s.getNext(oids, cb));
  }

  /**
   * v2c SETs go out under the write community; v3 uses the same user. net-snmp (pinned 3.29) builds the
   * message from `session.community` synchronously inside set(), so the community is swapped for that
   * one call instead of opening a second socket per device (sockets are the scarce thing in a fleet).
   */
  set(varbinds: Varbind[]): Promise<RequestResult> {
    const c = this.credential;
    return this.request(this.session, (s, cb) => {
      if (c.version !== '2c') return s.set(varbinds, cb);
      const holder = s as unknown as { community: string };
      holder.community = c.writeCommunity;
      try {
        s.set(varbinds, cb);
      } finally {
        holder.community = c.readCommunity;
      }
    });
  }

  close(): void {
    try {
      this.session.close();
    } catch {
      // already closed (socket error); nothing to release
    }
  }

  private open(): Session {
    const counting = {
      createSocket: (type: dgram.SocketType) => {
        const socket = dgram.createSocket(type);
        // On an unbound socket Node queues the first send, binds, and calls send() again once
        // 'listening' fired: count only calls on a bound socket, so each datagram counts once.
        let bound = false;
        socket.once('listening', () => {
          bound = true;
        });
        const send = socket.send.bind(socket) as (...args: unknown[]) => void;
        (socket as unknown as { send: (...args: unknown[]) => void }).send = (...args: unknown[]) => {
          if (bound) this.roundTrips += 1;
          send(...args);
        };
        return socket;
      },
    };
    const transport = isIPv6(this.opts.host) ? ('udp6' as const) : ('udp4' as const);
    // A fixed local engineID: net-snmp otherwise draws random bytes for every session, and a manager's
    // own engineID plays no part in talking to an agent (the agent is the authoritative engine).
    const options = { port: this.opts.port, timeout: this.opts.timeoutMs, retries: this.opts.retries, transport, dgramModule: counting, engineID: MANAGER_ENGINE_ID };
    const c = this.credential;
    const session =
      c.version === '2c'
        ? snmp.createSession(this.opts.host, c.readCommunity, { ...options, version: snmp.Version2c })
        : snmp.createV3Session(
            this.opts.host,
            {
              name: c.user,
              level: snmp.SecurityLevel.authPriv,
              authProtocol: AUTH_PROTOCOLS[c.authProtocol],
              authKey: c.authKey,
              privProtocol: PRIV_PROTOCOLS[c.privProtocol],
              privKey: c.privKey,
            },
            { ...options, version: snmp.Version3 },
          );
    // Without a listener a malformed datagram ("error" event) would crash the process.
    session.on('error', (err: unknown) => {
      this.lastSocketError = err instanceof Error ? err.message : String(err);
    });
    return session;
  }

  private request(session: Session, send: (s: Session, cb: (e: Error | null, vb?: Varbind[]) => void) => void): Promise<RequestResult> {
    this.lastSocketError = '';
    return new Promise((resolve) => {
      let settled = false;
      const finish = (r: RequestResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(guard);
        resolve(r);
      };
      // net-snmp always calls back, but a stuck request must not stall a task forever.
      const guard = setTimeout(
        () => finish({ ok: false, failure: { kind: 'unreachable', detail: 'no answer (guard timer)' } }),
        this.opts.timeoutMs * (this.opts.retries + 1) + 1000,
      );
      try {
        send(session, (error, varbinds) => {
          if (!error) return finish({ ok: true, varbinds: Array.isArray(varbinds) ? varbinds : [] });
          let failure: RequestFailure;
          try {
            failure = this.classify(error);
          } catch {
            failure = { kind: 'invalid', detail: 'unclassifiable error from the SNMP library' };
          }
          finish({ ok: false, failure });
        });
      } catch (error) {
        finish({ ok: false, failure: { kind: 'invalid', detail: `request not sent: ${(error as Error).message}` } });
      }
    });
  }

  private classify(error: Error): RequestFailure {
    // net-snmp sometimes puts a number in `message` (an unknown error-status from a device).
    const message = String((error && error.message) || error);
    if (error instanceof snmp.RequestTimedOutError || message === 'Socket forcibly closed') {
      // A malformed reply is dropped by net-snmp and the request then times out; say so.
      return this.lastSocketError
        ? { kind: 'invalid', detail: `unparseable reply (${this.lastSocketError}); then ${message}` }
        : { kind: 'unreachable', detail: message };
    }
    if (error instanceof snmp.ResponseInvalidError) {
      const code = error.code;
      if (code === snmp.ResponseInvalidCode.EAuthFailure || code === snmp.ResponseInvalidCode.ECouldNotDecrypt) {
        return { kind: 'auth-failed', detail: message };
      }
      return { kind: 'invalid', detail: message };
    }
    if (error instanceof snmp.RequestFailedError) {
      // net-snmp words it "<Status>: <oid>" when the agent named a varbind, "<Status>" otherwise; an
      // error-status it does not know arrives as the bare number of GeneralError.
      const [first, oid] = message.split(': ');
      const status = /^\d+$/.test(first) ? String(snmp.ErrorStatus[Number(first)] ?? `error-status ${first}`) : first;
      if (error.status === snmp.ErrorStatus.TooBig) return { kind: 'too-big', detail: message };
      return { kind: 'error-status', status, oid: oid || undefined, detail: oid ? `${status}: ${oid}` : status };
    }
    return { kind: 'invalid', detail: message };
  }
}
