// Command-line entry: `serve` (the appliance) and `simulate` (printers against any appliance).
// The same entry is bundled into the single binary.
import { parseArgs } from 'node:util';
import { settingKeys, settingsSchema, settingFlag, type SettingKey } from './config/schema.ts';
import { createRootLogger, componentLogger } from './util/log.ts';
import { VERSION } from './system/version.ts';
import { ANNOUNCE_REASONS, type AnnounceReason } from './protocol/messages.ts';

const isBoolean = (key: SettingKey) => typeof settingsSchema[key].default === 'boolean';
const shownDefault = (v: unknown) => Array.isArray(v) ? (v.length ? v.join(',') : 'none') : v === '' ? 'empty' : String(v);

function help(): string {
  const rows = settingKeys.map((key) => {
    const def = settingsSchema[key];
    const d = def.default;
    const flag = isBoolean(key) ? `--[no-]${settingFlag(key)}` : `--${settingFlag(key)} ${typeof d === 'number' ? 'N' : Array.isArray(d) ? 'A,B' : 'TEXT'}`;
    return `  ${flag.padEnd(34)} ${def.help}\n  ${''.padEnd(34)} default ${shownDefault(def.default)}; env ${def.env}${def.restart ? '; restart to change' : ''}`;
  });
  return `instant-on-edge ${VERSION} — printer announcement appliance

Usage:
  instant-on-edge [serve] [options]      run the appliance (npm start -- [options])
  instant-on-edge simulate [options]     run simulated printers (npm run simulate -- [options])
  instant-on-edge --version | --help

serve options (every setting; a flag or its environment variable locks the value against changes in the page):
  --demo N                           also start N simulated printers that announce to this appliance
${rows.join('\n')}

simulate options:
  --count N             number of printers (default 10)
  --server HOST:PORT    appliance to announce to (a configured server address; overrides --dns)
  --dns HOST:PORT       resolve hp-print-mgmt through this DNS server, as printers do (HDAP.md §1)
  --search-domain D     a DNS search suffix to try (repeatable)
  --announce-port N     port to announce to after a DNS lookup or at a server address set over SNMP (default 3329)
  --reason R            announcement reason: ${ANNOUNCE_REASONS.join(', ')} (default initial-boot)
  --rate PER_S          new announcements per second (default: as fast as possible)
  --first-index N       index of the first printer (its serial number and address 127.0.x.y follow from it)
  --serial-prefix P     serials are P and six digits (default LAB; --demo printers use SIM)
  --silent              printers whose announcement agent is off: only their SNMP agents answer; find them with discovery
                        (a policy that switches the agent on with a server address makes them announce, to --announce-port)
  --snmp-port N         SNMP agents' port: 161 as root (each on its own 127.x address), else 0 = a free port each
  --snmp-delay-ms N     delay every SNMP reply (a LAN instead of loopback)
  --once                announce once and exit (no SNMP agents); exit status 1 if any was not accepted
  The printers (except with --once) run until Ctrl-C; v2c communities public/private, v3 user admin.

Environment: INSTANT_ON_ADMIN_PASSWORD sets the first admin password; GET /api/v1/settings shows every
value with where it came from.
`;
}

function fail(message: string): never {
  process.stderr.write(`instant-on-edge: ${message}\nTry --help.\n`);
  process.exit(2);
}

function parse(args: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>['options']) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false, allowNegative: true }).values as Record<string, string | boolean | string[] | undefined>;
  } catch (err) {
    fail((err as Error).message);
  }
}

async function serve(args: string[]) {
  const options: NonNullable<Parameters<typeof parseArgs>[0]>['options'] = { demo: { type: 'string' }, help: { type: 'boolean', short: 'h' } };
  for (const key of settingKeys) options[settingFlag(key)] = { type: isBoolean(key) ? 'boolean' : 'string' };
  const v = parse(args, options);
  if (v.help) { process.stdout.write(help()); return; }
  const cli: Partial<Record<SettingKey, unknown>> = {};
  for (const key of settingKeys) if (v[settingFlag(key)] !== undefined) cli[key] = v[settingFlag(key)];
  const demo = v.demo === undefined ? 0 : Number(v.demo);
  if (!Number.isInteger(demo) || demo < 0 || demo > 60_000) fail('--demo takes a whole number of printers (0–60000)');

  const root = createRootLogger();
  const log = componentLogger(root, 'main');
  process.on('uncaughtException', (err) => {
    // Carrying on after an unknown failure risks acknowledging what was never stored: log and let systemd restart us.
    log.fatal({ err }, 'uncaught exception; exiting');
    root.flush?.();
    setTimeout(() => process.exit(70), 100).unref();
  });
  process.on('unhandledRejection', (err) => { throw err; });

  // A stop asked for while the appliance is still starting (systemd, Ctrl-C) is held until the start is done,
  // then carried out: the default action would kill the process with acknowledged work in flight.
  let stopAsked: string | undefined;
  let onStop: (signal: string) => void = (signal) => { stopAsked = signal; };
  process.once('SIGTERM', () => onStop('SIGTERM'));
  process.once('SIGINT', () => onStop('SIGINT'));

  const { Appliance } = await import('./system/controller.ts');
  let appliance: Awaited<ReturnType<typeof Appliance.start>>;
  // A restored backup: stop every component and start them again on the restored store (Teleporter-like).
  // A start that fails then is fatal: systemd (Restart=on-failure) starts the process again.
  const restart = (reason: string) => {
    log.warn({ reason }, 'restarting the appliance\'s components');
    void appliance.stop().then(() => Appliance.start(startOptions)).then((next) => { appliance = next; log.info({ reason }, 'restarted'); },
      (err) => { log.fatal({ err: { message: err.message, component: err.component } }, 'could not restart; exiting'); root.flush?.(); setTimeout(() => process.exit(1), 100); });
  };
  const onFatal = (err: Error) => {
    // Crash rather than limp: a store that cannot write must not keep answering devices. systemd restarts us.
    log.fatal({ err: { message: err.message, cause: (err.cause as Error | undefined)?.message } }, 'the store is failing; exiting');
    process.stderr.write(`instant-on-edge: the store is failing: ${err.message}\n`);
    root.flush?.();
    setTimeout(() => process.exit(75), 100).unref();
  };
  const startOptions = { cli, demo, log: root, say: (t: string) => process.stdout.write(t + '\n'), onRestartRequest: restart, onFatal };
  try {
    appliance = await Appliance.start(startOptions);
  } catch (err: any) {
    // The controller already stopped what had started (listeners before the store); only exiting is left.
    log.fatal({ err: { message: err.message, code: err.code, component: err.component } }, 'could not start');
    const flag = ({ announce: '--announce-port', dns: '--dns-port', web: '--web-port' } as Record<string, string>)[err.component];
    const hint = flag && (err.code === 'EADDRINUSE' || err.code === 'EACCES') ? ` (choose another port with ${flag})` : '';
    process.stderr.write(`instant-on-edge: ${err.message}${hint}\n`);
    root.flush?.();
    setTimeout(() => process.exit(1), 100);
    return;
  }
  // systemd (Type=notify): READY only now that the store is open and DNS, 3329 and the web port are bound.
  const { createSdNotifier } = await import('./system/sd-notify.ts');
  const notifier = createSdNotifier(componentLogger(root, 'systemd'));
  const statusLine = () => {
    const t = appliance.tasks.stats();
    return `${appliance.registry.size} devices; tasks ${t.running} running, ${t.queued} queued; announcements on ${appliance.announcePort}, web on ${appliance.webPort}`;
  };
  notifier.ready(statusLine());
  notifier.startWatchdog();
  const statusTimer = setInterval(() => notifier.status(statusLine()), 30_000);
  statusTimer.unref();
  const shutdown = (signal: string) => {
    notifier.stopping();
    notifier.stopWatchdog();
    clearInterval(statusTimer);
    log.info({ signal }, 'shutting down');
    const hard = setTimeout(() => { log.error('shutdown took too long; exiting'); process.exit(1); }, 15_000);
    hard.unref();
    appliance.stop().then(async () => { await notifier.flush().catch(() => undefined); root.flush?.(); setTimeout(() => process.exit(0), 50); }, (err) => { log.error({ err }, 'shutdown failed'); process.exit(1); });
  };
  onStop = shutdown;
  if (stopAsked) shutdown(stopAsked);
}

async function simulate(args: string[]) {
  const v = parse(args, {
    count: { type: 'string' }, server: { type: 'string' }, reason: { type: 'string' }, rate: { type: 'string' },
    'first-index': { type: 'string' }, dns: { type: 'string' }, 'search-domain': { type: 'string', multiple: true },
    'announce-port': { type: 'string' }, 'serial-prefix': { type: 'string' }, silent: { type: 'boolean' }, once: { type: 'boolean' },
    'snmp-port': { type: 'string' }, 'snmp-delay-ms': { type: 'string' },
  });
  const { simulate: run, SIMULATE_SERIAL_PREFIX, defaultSnmpPort } = await import('./sim/simulate.ts');
  const count = Number(v.count ?? 10);
  if (!Number.isInteger(count) || count < 1 || count > 60_000) fail('--count takes a whole number (1–60000)');
  const reason = (v.reason ?? 'initial-boot') as AnnounceReason;
  if (!ANNOUNCE_REASONS.includes(reason)) fail(`--reason must be one of ${ANNOUNCE_REASONS.join(', ')}`);
  const rate = v.rate === undefined ? 0 : Number(v.rate);
  if (!(rate >= 0)) fail('--rate takes a number of announcements per second');
  const serialPrefix = String(v['serial-prefix'] ?? SIMULATE_SERIAL_PREFIX);
  if (!/^[A-Za-z0-9-]{0,20}$/.test(serialPrefix)) fail('--serial-prefix takes up to 20 of A-Z a-z 0-9 - (serials are the prefix and six digits)');
  const snmpPort = v['snmp-port'] === undefined ? defaultSnmpPort() : Number(v['snmp-port']);
  if (!Number.isInteger(snmpPort) || snmpPort < 0 || snmpPort > 65535) fail('--snmp-port takes a port number (0 = a free port per printer)');
  const delay = Number(v['snmp-delay-ms'] ?? 0);
  if (!Number.isInteger(delay) || delay < 0 || delay > 10_000) fail('--snmp-delay-ms takes a whole number of milliseconds');
  if (v.silent && v.once) fail('--silent printers only answer SNMP; --once only announces: choose one');
  if (!v.silent && !v.server && !v.dns) fail('--server HOST:PORT or --dns HOST:PORT is required (or --silent for printers that never announce)');
  const hostPort = (flag: string, text: string) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
    if (!m) fail(`--${flag} takes HOST:PORT (IPv6 as [::1]:3329)`);
    return { host: m[1], port: Number(m[2]) };
  };

  const root = createRootLogger();
  const log = componentLogger(root, 'simulate');
  let resolveTarget: (() => Promise<{ host: string; port: number }>) | undefined;
  if (v.server) {
    const target = hostPort('server', String(v.server));
    resolveTarget = async () => target;
  } else if (v.dns) {
    hostPort('dns', String(v.dns));
    const { dnsTargetResolver } = await import('./sim/dns-resolve.ts');
    resolveTarget = dnsTargetResolver({ dns: String(v.dns), searchDomains: (v['search-domain'] as unknown as string[] | undefined) ?? [], port: Number(v['announce-port'] ?? 3329), ipv4Only: true }, log);
  }
  let result: Awaited<ReturnType<typeof run>>;
  try {
    result = await run({ count, firstIndex: Number(v['first-index'] ?? 0), serialPrefix, reason, ratePerSecond: rate, silent: !!v.silent, once: !!v.once,
      snmpPort, snmpDelayMs: delay, resolveTarget, announcePort: Number(v['announce-port'] ?? 3329), log });
  } catch (err: any) {
    log.fatal({ err: { message: err.message, code: err.code } }, 'simulated printers could not start');
    process.stderr.write(`instant-on-edge: ${err.message}${err.code === 'EADDRINUSE' ? ' (another agent holds that address and port: --first-index or --snmp-port 0)' : err.code === 'EACCES' ? ' (port 161 needs root: --snmp-port 0)' : ''}\n`);
    root.flush?.();
    process.exitCode = 1;
    return;
  }
  if ('exitCode' in result) { root.flush?.(); process.exitCode = result.exitCode; return; }
  log.info('running; Ctrl-C stops the printers');
  const stop = result.stop;
  const end = () => { void stop().finally(() => { root.flush?.(); setTimeout(() => process.exit(0), 50); }); };
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--help' || first === '-h' || first === 'help') process.stdout.write(help());
else if (first === '--version' || first === '-v') process.stdout.write(`${VERSION}\n`);
else if (first === 'simulate') await simulate(rest);
else if (first === 'serve') await serve(rest);
else if (first === undefined || first.startsWith('--')) await serve(process.argv.slice(2));
else fail(`unknown command ${first}`);
