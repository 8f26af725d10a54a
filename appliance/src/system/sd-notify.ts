// systemd notify protocol (sd_notify(3)) for instant-on-edge.service (Type=notify, NotifyAccess=all).
//
// Transport: one `systemd-notify` process per message. Node has no AF_UNIX datagram sockets, which is
// what $NOTIFY_SOCKET is, so the choices are a native addon, a long-lived helper process, or spawning the
// systemd tool. The `systemd-notify` npm package spawns the same tool but only knows --ready/--status/--pid,
// not WATCHDOG=1 or STOPPING=1, so this module spawns it itself. The tool is sent from a child of the
// main PID, hence NotifyAccess=all; since systemd 246 it waits (sd_notify_barrier) until systemd has read
// the message, so the child exiting early cannot lose it. Cost: one fork+exec (a few ms, ~20 ms on a
// Pi 4) per message — fine for READY/STATUS/STOPPING and for one watchdog ping every WatchdogSec/2
// (15 s with the shipped unit), not for high-rate status updates (status() drops repeats).
//
// The watchdog ping is a timer on the event loop on purpose: if the loop is stuck, pings stop and systemd
// kills and restarts the service after WatchdogSec.
import { execFile } from 'node:child_process';
import type { Logger } from '../util/log.ts';

export interface SdNotifier {
  /** READY=1 (+ STATUS=): call once the store is open and DNS, 3329 and the web port accept connections. */
  ready(status?: string): void;
  /** STATUS=: a line a human reads in `systemctl status` (devices, queue). */
  status(text: string): void;
  /** STOPPING=1: call first thing on SIGTERM/SIGINT, before closing listeners. */
  stopping(): void;
  /** Pings WATCHDOG=1 every WATCHDOG_USEC/2 when systemd asked for a watchdog for this PID. */
  startWatchdog(): void;
  stopWatchdog(): void;
  /** Resolves when every message sent so far has been handed to systemd (for orderly exits and tests). */
  flush(): Promise<void>;
  /** Watchdog interval in ms, or undefined when systemd did not ask for one. */
  readonly watchdogIntervalMs: number | undefined;
  /** False when not started by systemd (no $NOTIFY_SOCKET): every call is then a no-op. */
  readonly enabled: boolean;
}

export interface SdNotifierOptions {
  env?: NodeJS.ProcessEnv;
  /** The tool to spawn; tests may point it elsewhere. */
  command?: string;
  pid?: number;
}

/** WATCHDOG_USEC/2 in ms, honouring WATCHDOG_PID (the watchdog may be meant for another process). */
export function watchdogInterval(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return undefined;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

/** STATUS= ends at a newline in the protocol; keep a status to one readable line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').slice(0, 400);
}

export function createSdNotifier(log: Logger, opts: SdNotifierOptions = {}): SdNotifier {
  const env = opts.env ?? process.env;
  const command = opts.command ?? 'systemd-notify';
  const pid = opts.pid ?? process.pid;
  const enabled = Boolean(env.NOTIFY_SOCKET);
  const intervalMs = watchdogInterval(env, pid);
  const childEnv = { ...process.env, ...env };

  // Messages go out one after another, so READY never overtakes an earlier STATUS and STOPPING is last.
  let chain: Promise<void> = Promise.resolve();
  let pending = 0;
  let broken = false;
  let lastStatus: string | undefined;
  let timer: NodeJS.Timeout | undefined;

  function send(args: string[]): void {
    if (!enabled || broken) return;
    pending++;
    chain = chain.then(() => new Promise<void>((done) => {
      execFile(command, args, { env: childEnv, timeout: 10_000 }, (err, _stdout, stderr) => {
        pending--;
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            broken = true;
            log.warn({ command }, 'systemd-notify not found: readiness and watchdog are not reported');
          } else {
            log.warn({ args, err: err.message, stderr: String(stderr).trim() }, 'systemd notification failed');
          }
        }
        done();
      });
    }));
  }

  function stopWatchdog(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
  }

  if (!enabled) log.debug('no NOTIFY_SOCKET: not started by systemd, notifications off');

  return {
    enabled,
    watchdogIntervalMs: intervalMs,
    ready(status) {
      const args = ['--ready', `--pid=${pid}`];
      if (status) {
        lastStatus = oneLine(status);
        args.push(`--status=${lastStatus}`);
      }
      send(args);
      log.info({ status, notify: enabled }, 'ready');
    },
    status(text) {
      const line = oneLine(text);
      if (line === lastStatus) return;
      lastStatus = line;
      send([`--status=${line}`]);
    },
    stopping() {
      stopWatchdog();
      send(['STOPPING=1']);
    },
    startWatchdog() {
      if (!enabled || intervalMs === undefined || timer) return;
      timer = setInterval(() => {
        // A ping still queued means the previous spawn has not finished; one in flight is enough.
        if (pending === 0) send(['WATCHDOG=1']);
      }, intervalMs);
      timer.unref();
      send(['WATCHDOG=1']);
      log.debug({ intervalMs }, 'watchdog pings started');
    },
    stopWatchdog,
    flush: () => chain,
  };
}
