// The sockets handed to net-snmp's agent (its `dgramModule` option). They add what the agent cannot do
// itself: bind to port 0 (it turns 0 into 161), delay replies (benchmarks), answer tooBig above a varbind
// limit, count requests, and expose the datagram being processed (for the usmStats report).
import dgram from 'node:dgram';
import { tooBigResponse } from './too-big.ts';

export interface SocketState {
  /** The port to really bind (net-snmp was given a placeholder). */
  port: number;
  delayMs: number;
  maxVarbinds?: number;
  requests: number;
  /** The SNMP agent was switched off over SNMP (npCtlSNMPEnableDisable = 0): every request goes unanswered. */
  silent?: boolean;
  /** The datagram being processed right now (net-snmp handles each one synchronously). */
  current?: { buf: Buffer; rinfo: dgram.RemoteInfo; socket: dgram.Socket };
  sockets: dgram.Socket[];
}

/** A dgram module for net-snmp's agent whose sockets bind where we say, delay replies and enforce a varbind limit. */
export function wrapSockets(state: SocketState) {
  return {
    createSocket(type: dgram.SocketType): dgram.Socket {
      const socket = dgram.createSocket(type);
      state.sockets.push(socket);
      const bind = socket.bind.bind(socket) as (...a: unknown[]) => dgram.Socket;
      (socket as unknown as { bind: (...a: unknown[]) => dgram.Socket }).bind = (_port: unknown, address: unknown) => bind(state.port, address);
      const send = socket.send.bind(socket) as (...a: unknown[]) => void;
      (socket as unknown as { send: (...a: unknown[]) => void }).send = (...args: unknown[]) => {
        // A reply still waiting when the agent stops is dropped, as a powered-off printer's would be (not thrown).
        if (state.delayMs > 0) setTimeout(() => { try { send(...args); } catch { /* socket closed meanwhile */ } }, state.delayMs);
        else send(...args);
      };
      const on = socket.on.bind(socket) as (e: string, fn: (...a: never[]) => void) => dgram.Socket;
      (socket as unknown as { on: (e: string, fn: (...a: never[]) => void) => dgram.Socket }).on = (event, fn) => {
        if (event !== 'message') return on(event, fn);
        const handler = fn as unknown as (buf: Buffer, rinfo: dgram.RemoteInfo) => void;
        return on('message', ((buf: Buffer, rinfo: dgram.RemoteInfo) => {
          state.requests += 1;
          if (state.silent) return;
          const tooBig = state.maxVarbinds === undefined ? undefined : tooBigResponse(buf, state.maxVarbinds);
          if (tooBig) return void socket.send(tooBig, rinfo.port, rinfo.address);
          state.current = { buf, rinfo, socket };
          try {
            handler(buf, rinfo);
          } finally {
            state.current = undefined;
          }
        }) as never);
      };
      return socket;
    },
  };
}
