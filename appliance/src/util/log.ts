// One root logger; every component asks for a child with its name, so each JSON line says where it came from.
// On a terminal the same lines are pretty-printed; under systemd (or piped) they stay JSON for journald/jq.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Force JSON (true) or pretty (false); default: pretty only when stdout is a TTY. */
  json?: boolean;
  /** Write somewhere other than stdout (tests capture lines this way). */
  destination?: NodeJS.WritableStream;
}

export function createRootLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.INSTANT_ON_LOG_LEVEL ?? 'info';
  const json = opts.json ?? (process.env.INSTANT_ON_LOG_FORMAT === 'json' || !process.stdout.isTTY);
  const base = { level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (opts.destination) return pino(base, opts.destination);
  if (json) return pino(base, pino.destination({ dest: 1, sync: false }));
  return pino(base, pretty({ colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }));
}

/** A logger that drops everything, for unit tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

// pino children copy their level when made, so a level change must reach each component logger itself.
const components = new WeakMap<Logger, Set<Logger>>();

export function componentLogger(root: Logger, component: string): Logger {
  const child = root.child({ component });
  let set = components.get(root);
  if (!set) components.set(root, (set = new Set()));
  set.add(child);
  return child;
}

/** Re-levels the root and every component logger made from it (logLevel is a live setting). A silent root
 * (tests, `silentLogger()`) stays silent: its maker chose to drop everything. */
export function setLogLevel(root: Logger, level: string): void {
  if (root.level === 'silent') return;
  root.level = level;
  for (const child of components.get(root) ?? []) child.level = level;
}
