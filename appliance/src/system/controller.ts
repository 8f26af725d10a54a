// The appliance as one ordered list of components (the zigbee2mqtt controller idea): started in order,
// stopped in reverse, and a start that fails half-way stops what already started — listeners before the
// store — so nothing keeps accepting printers into a closed database. Nothing here decides protocol or
// policy: each room builds its own objects; this file says which, with what, and in what order.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { SettingsView } from '../config/index.ts';
import { openStoredSettings, toStored } from '../config/index.ts';
import { settingsSchema, type SettingKey } from '../config/index.ts';
import { Store } from '../store/index.ts';
import { loadOrCreateIdentity } from '../pki/index.ts';
import { IdentityHolder } from '../pki/index.ts';
import { TrustRepo } from '../pki/index.ts';
import { DeviceRegistry } from '../devices/index.ts';
import { SerialFilter } from '../devices/index.ts';
import { AnnounceRate } from '../devices/index.ts';
import { AnnouncementListener, createAuthorizer, createIntake, storeCaptureSink } from '../announce/index.ts';
import { instantOnHooks } from '../instant-on/index.ts';
import { PolicyRepo } from '../policy/index.ts';
import { CredentialRepo } from '../snmp/index.ts';
import { loadOrCreateKey, secretBox } from '../snmp/index.ts';
import { createSnmpDeviceRunner } from '../snmp/index.ts';
import { TaskEngine } from '../tasks/index.ts';
import { Scheduler } from '../tasks/index.ts';
import { assessmentAction } from '../tasks/index.ts';
import { identityHold } from '../devices/index.ts';
import { startDnsResponder, defaultApplianceAddresses, dnsSelfCheck, type DnsResponder } from '../dns/index.ts';
import { Forwarder } from '../forward/index.ts';
import { MqttEvents } from '../forward/index.ts';
import { hubAuthorize, noDnsResponder } from '../forward/index.ts';
import { createApiApp } from '../api/index.ts';
import { WebServer } from '../api/index.ts';
import { Users } from '../api/index.ts';
import { Sessions } from '../api/index.ts';
import { EventHub } from '../api/routes/events.ts';
import { AuditLog } from '../api/index.ts';
import { complianceRoutes } from '../api/routes/compliance.ts';
import { trustRoutes } from '../api/routes/trust.ts';
import { forwardingRoutes } from '../api/routes/forwarding.ts';
import type { AppServices } from '../api/index.ts';
import { startDemoFleet } from '../sim/index.ts';
import type { Fleet } from '../sim/index.ts';
import { component, Components } from '../util/component.ts';
import { componentLogger, setLogLevel, type Logger } from '../util/log.ts';
import { writeFileAtomic } from '../util/atomic-file.ts';
import { VERSION } from './version.ts';
import { setAddonDataDir } from '../util/sea-addon.ts';
import { buildOperations } from './operations.ts';
import { sendMail } from '../alerts/index.ts';
import { Observability } from './observability.ts';
import { buildGroups } from './groups.ts';
import { buildDiscovery } from './discovery.ts';

export interface StartOptions {
  /** Values given on the command line (already mapped to setting keys). */
  cli?: Partial<Record<SettingKey, unknown>>;
  env?: NodeJS.ProcessEnv;
  /** Start this many simulated printers that announce to this appliance. */
  demo?: number;
  log: Logger;
  /** A restored backup asks for the components to start again (the CLI restarts them in-process). */
  onRestartRequest?: (reason: string) => void;
  /** Tell the console (not the log) things a person must see once, such as a generated password. */
  say?: (text: string) => void;
  /** The store itself is failing (not a full disk): the CLI exits non-zero so systemd restarts it.
   *  Without it the appliance stops itself. */
  onFatal?: (err: Error) => void;
}

export class Appliance {
  private constructor(
    private readonly components: Components,
    readonly settings: SettingsView,
    readonly store: Store,
    readonly registry: DeviceRegistry,
    readonly listener: AnnouncementListener,
    readonly web: WebServer,
    readonly services: AppServices,
    readonly tasks: TaskEngine,
    readonly dns: DnsResponder,
    readonly forwarder: Forwarder,
    readonly mqtt: MqttEvents | undefined,
    readonly demoFleet: Fleet | undefined,
    private readonly log: Logger,
    private readonly setGrace: (ms: number) => void,
  ) {}

  get announcePort(): number { return this.listener.address.port; }
  get webPort(): number { return this.web.port; }
  /** Names of the running components, in start order. */
  get running(): string[] { return this.components.names(); }

  static async start(opts: StartOptions): Promise<Appliance> {
    const env = opts.env ?? process.env;
    const logOf = (name: string) => componentLogger(opts.log, name);
    const log = logOf('controller');
    const components = new Components(log);

    // The data folder decides where the stored settings are, so it is resolved from defaults, env and CLI alone.
    const dataDir = resolve(new SettingsView({ env, cli: opts.cli }).get('dataDir'));
    setAddonDataDir(dataDir); // inside the single binary, the LevelDB addon is unpacked under <dataDir>/.cache
    let opened: Store | undefined;
    // Until the stored settings are read, the free-space floor is the schema default.
    let settingsRef = new SettingsView({ env, cli: opts.cli });
    await components.start([component('store', async () => {
      opened = await Store.open({ dir: join(dataDir, 'db'), log: logOf('store'), minFreeBytes: () => settingsRef.get('storeMinFreeMb') * 1024 * 1024 });
    }, () => opened?.close())]);
    const store = opened!;
    let started: Appliance | undefined;
    // The store itself is failing (not a full disk): crash rather than limp. The CLI exits non-zero (systemd restarts it).
    store.on('failed', (err) => {
      if (opts.onFatal) return opts.onFatal(err);
      void (started?.stop(500) ?? components.stop()).catch((e) => log.error({ err: e }, 'stopping after a store failure failed'));
    });
    let graceMs = 5000; // how long stop() lets in-flight announcements finish
    try {
      // Secret settings are sealed in the store under the data folder's key (config/stored-settings.ts).
      const box = secretBox(await loadOrCreateKey(dataDir));
      const stored = openStoredSettings(await store.entries<unknown>('settings'), box);
      const settings = new SettingsView({ stored: stored.values, env, cli: opts.cli });
      if (stored.legacy.length) {
        await store.commit(stored.legacy.map((key) => ({ type: 'put' as const, sublevel: store.sub('settings'), key, value: toStored(key, stored.values[key], box) })));
        log.info({ settings: stored.legacy }, 'sealed secret settings that an earlier version stored in clear');
      }
      settingsRef = settings;
      // The logger was made before the store could say the saved level; from here on it follows the setting.
      setLogLevel(opts.log, settings.get('logLevel'));
      settings.onChange((key, value) => { if (key === 'logLevel') setLogLevel(opts.log, String(value)); });
      await ensureListenerId(store, settings);
      const { identity: first, created } = loadOrCreateIdentity(dataDir);
      if (created) log.info({ fingerprint256: first.fingerprint256 }, 'created the appliance identity certificate');
      const identity = new IdentityHolder(dataDir, first);
      const hub = settings.get('hubMode');
      const s = <K extends SettingKey>(key: K) => () => settings.get(key);

      // ——— the rooms, built (no I/O yet) in dependency order ———
      // Alerts, syslog and metrics first: the SNMP runner and the store's commits are metered from the start.
      const observe = new Observability({ store, settings, log: opts.log, dataDir, version: VERSION });
      const users = new Users(store);
      const registry = new DeviceRegistry(store, s('deviceHistoryLimit'));
      const policies = new PolicyRepo(store, box, logOf('policy'));
      const credentials = new CredentialRepo(store, box);
      const trust = new TrustRepo(store, box);
      const serials = new SerialFilter(store, logOf('devices'));
      const announceRate = new AnnounceRate(s('announceTooOftenPerHour'));
      const tasks = new TaskEngine({
        store, registry, policies, log: logOf('tasks'),
        holdReason: (d) => identityHold(d, settings.get('strictDeviceIdentity')),
        runDevice: observe.metrics.meterSnmp(createSnmpDeviceRunner({ credentials, log: logOf('snmp'), openPolicy: (p) => policies.plain(p),
          timeouts: () => ({ timeoutMs: settings.get('snmpTimeoutMs'), retries: settings.get('snmpRetries') }) })),
        limits: () => ({ maxNumberTasks: settings.get('compatibilityMode') ? 10 : settings.get('maxNumberTasks'),
          maxConcurrentDevices: settings.get('maxConcurrentDevices'), childTaskSize: settings.get('childTaskSize'),
          compatibilityMode: settings.get('compatibilityMode') }),
      });
      const scheduler = new Scheduler({ store, log: logOf('scheduler'), minIntervalMs: () => settings.get('scheduleMinIntervalSeconds') * 1000 });
      const grouping = buildGroups({ store, settings, registry, policies, tasks, scheduler, log: logOf });
      scheduler.registerAction('assessment', assessmentAction({ engine: tasks, policyExists: (id) => !!policies.get(id), allSerials: () => registry.list().filter((d) => !d.retired).map((d) => d.serialNumber) }));
      const discovery = buildDiscovery({ settings, registry, policies, credentials, tasks, scheduler, log: logOf('discovery') });
      // Trigger B: devices a job brought into an autogroup with a policy are remediated when the job has stored them all.
      discovery.discovery.onFound(() => grouping.triggers.flushFound());
      const forwarder = new Forwarder({
        store, log: logOf('forward'), listenerId: s('listenerId'),
        caps: () => ({ maxEntries: settings.get('forwardOutboxMaxEntries'), maxBytes: settings.get('forwardOutboxMaxBytes'),
          maxAgeMs: settings.get('forwardOutboxMaxAgeHours') * 3600_000 }),
        batchSize: s('forwardBatchSize'), connections: s('forwardConnections'),
        backoff: () => ({ baseMs: settings.get('forwardRetryBaseMs'), maxMs: settings.get('forwardRetryMaxMs') }),
        bindAddress: s('forwardBindAddress'), timeoutMs: s('forwardTimeoutMs'),
        dedupLimit: s('messageDedupLimit'), trustedCaPem: () => trust.caPems(),
        identity: () => ({ keyPem: identity.current().keyPem, certPem: identity.certChainPem() }),
      });
      const announceLog = logOf('announce');
      const intake = createIntake({
        registry, log: announceLog,
        authorize: hubAuthorize(hub, createAuthorizer({
          mode: s('authentication'), useSerialList: s('useSerialList'), verify: (chain) => trust.verify(chain), serials, log: announceLog,
          noteRefusal: (serial, lastAuth) => {
            if (registry.get(serial)) void registry.apply(serial, () => ({ patch: { lastAuth } }))
              .catch((err) => announceLog.error({ err: (err as Error).message, serial }, 'could not store the device\'s last refused authentication'));
          },
        })),
        acceptAnnouncements: s('acceptAnnouncements'), listenerId: s('listenerId'), relayPeers: s('relayPeers'),
        backlog: () => store.commitStats().queued, isDuplicate: (ann) => forwarder.isDuplicate(ann),
        ...instantOnHooks({
          tasks, forwarding: forwarder, remediates: !hub,
          policies: (device) => grouping.instantOnPolicies(device), // Initial Assessment Policy, then the group policy
          seen: (serial) => { announceRate.record(serial); serials.markDiscovered(serial); },
        }),
      });
      const listener = new AnnouncementListener({
        host: settings.get('host'), port: settings.get('announcePort'), key: first.keyPem, cert: identity.certChainPem(),
        handler: intake, capture: storeCaptureSink(store, s('captureMaxRecords')), log: announceLog, ca: trust.caPems(),
        limits: () => ({ frameTimeoutMs: settings.get('frameTimeoutMs'), maxHandshakes: settings.get('maxConcurrentHandshakes'),
          maxPerSource: settings.get('maxConnectionsPerSource'), maxWaiting: settings.get('maxWaitingConnections'), capture: settings.get('captureUnknownFraming') }),
      });
      let dns: DnsResponder = noDnsResponder();
      const mqtt = settings.get('mqttUrl') ? new MqttEvents({ url: settings.get('mqttUrl'), topicPrefix: settings.get('mqttTopicPrefix'),
        clientId: `instant-on-${settings.get('listenerId')}`, source: registry, known: () => registry.list(), log: logOf('mqtt'), ca: () => trust.caPems() }) : undefined;
      const ops = buildOperations({ store, registry, tasks, policies, credentials, settings, version: VERSION, groups: grouping.groups,
        dataDir, box, identity: () => identity.current(), requestRestart: opts.onRestartRequest,
        sendMail: (to, mail) => sendMail(observe.smtp(), to, mail), announcements: () => listener.counters, log: logOf });
      const events = new EventHub();
      const audit = new AuditLog(store, 10_000, logOf('audit'));
      // "Identity changed" (issue 12 §3): the device's history has it (registry), the page hears it live, the audit log keeps it.
      registry.on('identity', ({ device, change }) => {
        events.publish('identity-changed', { serialNumber: device.serialNumber, change, held: Boolean(identityHold(device, settings.get('strictDeviceIdentity'))) });
        void audit.record({ user: '-', ip: change.toAddress, method: 'HDAP', path: '3329', status: 0, action: 'device.identity-changed',
          before: { serialNumber: device.serialNumber, certificate: change.from, address: change.fromAddress },
          after: { serialNumber: device.serialNumber, certificate: change.to, address: change.toAddress } })
          .catch((err) => log.error({ err: (err as Error).message, serial: device.serialNumber }, 'audit record failed: an identity change went unrecorded'));
      });
      const services: AppServices = {
        ...ops.services, ...discovery.services,
        version: VERSION, startedAt: new Date(), registry, settings, users, sessions: await Sessions.open({ store }), policies, credentials, tasks, scheduler, announceRate,
        events, audit, serials, forwarding: forwarder, groups: grouping,
        saveSetting: async (key, value) => {
          await store.commit([{ type: 'put', sublevel: store.sub('settings'), key, value: toStored(key, value, box) }]);
          settings.apply(key, value);
          log.info({ key, restart: settingsSchema[key].restart }, 'setting changed');
        },
        pki: { repo: trust, identity: () => identity.current(), installIdentity: async (text) => identity.install(text) },
        captures: () => store.values('captures', { reverse: true }),
        dnsCheck: () => dnsSelfCheck({ searchSuffixes: settings.get('dnsSearchSuffixes'), addresses: dns.addresses,
          responder: { host: isIP(settings.get('host')) && !['::', '0.0.0.0'].includes(settings.get('host')) ? settings.get('host') : '127.0.0.1', port: dns.udpPort } }),
        announcePort: () => listener.address?.port ?? settings.get('announcePort'),
        healthProblems: () => store.health().reasons,
        store: { acknowledgeDamage: (by) => store.acknowledgeDamage(by) },
        stats: () => ({ version: VERSION, devices: registry.size, announce: listener.stats(), store: store.status(), tasks: tasks.stats(), dns: dns.stats(),
          forwarding: forwarder.stats(), mqtt: mqtt?.stats(), observability: observe.status(), components: components.names(), memory: process.memoryUsage() }),
      };
      grouping.publishTo({ events: services.events, audit: services.audit, mqtt });
      const { app } = createApiApp(services, logOf('api'), [complianceRoutes, trustRoutes, forwardingRoutes, ...ops.routes, ...discovery.routes, ...grouping.routes, observe.routes],
        { contractCheck: env.INSTANT_ON_CONTRACT_CHECK === '1' });
      const web = new WebServer(app, { host: settings.get('host'), port: settings.get('webPort'), key: first.keyPem, cert: identity.certChainPem() });
      // A new identity or trusted CA list applies to both TLS servers from their next handshake on.
      const retls = () => listener.updateContext({ key: identity.current().keyPem, cert: identity.certChainPem(), ca: trust.caPems() });
      identity.onChange((id) => { retls(); web.setIdentity(id.keyPem, identity.certChainPem()); log.info({ fingerprint256: id.fingerprint256 }, 'installed a CA-signed identity certificate'); });
      trust.onChange(retls);
      let demoFleet: Fleet | undefined;

      // ——— the order: state first, then work, then the doors printers and admins come through ———
      await components.start([
        component('accounts', () => ensureAdmin(users, env, dataDir, log, opts.say)),
        component('registry', async () => { log.info({ devices: await registry.load(), dataDir }, 'store open'); }),
        component('policies', () => policies.load()),
        component('trust', () => trust.load()),
        component('serial-list', () => serials.load()),
        component('tasks', async () => { await tasks.load(); }, () => tasks.stop()),
        grouping.component, // before schedules run group assessments and before 3329 opens (Instant-On asks it for group policies)
        component('scheduler', () => scheduler.start(), () => scheduler.stop()),
        component('forwarding', () => forwarder.start(), () => forwarder.stop()),
        component('announce', async () => {
          await listener.listen();
          log.info({ host: settings.get('host'), port: listener.address.port }, 'announcement listener ready (HDAP/1 over TLS)');
        }, () => listener.close(graceMs)),
        // DNS after 3329: a printer that finds hp-print-mgmt must find the listener already open.
        component('dns', async () => {
          if (hub) return hubNote(settings, log);
          dns = await startDnsResponder({ host: settings.get('host'), port: settings.get('dnsPort'), searchSuffixes: settings.get('dnsSearchSuffixes'),
            addresses: answerAddresses(settings, !!opts.demo, log), ttl: settings.get('dnsTtl'), upstreams: settings.get('dnsUpstreams'),
            rateLimitPerSecond: settings.get('dnsRateLimit'), allowFrom: settings.get('dnsAllowFrom') }, logOf('dns'));
          log.info({ port: dns.udpPort, addresses: dns.addresses, suffixes: settings.get('dnsSearchSuffixes') }, 'DNS responder ready (hp-print-mgmt)');
        }, () => dns.stop()),
        ...(mqtt ? [component('mqtt', () => mqtt.start(), () => mqtt.stop())] : []),
        ...ops.components,
        observe.component(() => ({ registry, announce: () => listener.stats(), tasks, dns: () => dnsCounters(dns), forwarder, announceRate, serials, trust,
          identity: () => identity.current(), events: services.events!, apiToken: (t) => !!services.sessions.get(t) || !!services.apiTokens?.verify(t) })),
        component('web', async () => { await web.start(); log.info({ port: web.port }, 'admin page and API ready (HTTPS)'); }, () => web.stop()),
        ...(opts.demo ? [component('demo', () => {
          demoFleet = startDemoFleet({ count: opts.demo!, log: logOf('demo'), announcePort: listener.address.port, dnsPort: dns.udpPort,
            searchSuffixes: settings.get('dnsSearchSuffixes'), credentials });
        }, () => demoFleet?.stop())] : []),
      ]);
      started = new Appliance(components, settings, store, registry, listener, web, services, tasks, dns, forwarder, mqtt, demoFleet, log,
        (ms) => { graceMs = ms; });
      return started;
    } catch (err) {
      await components.stop(); // Components.start already unwound its own; this closes the store
      throw err;
    }
  }

  /** Reverse order of start: stop taking work, finish what was acknowledged, close the store last. */
  async stop(graceMs = 5000): Promise<void> {
    this.setGrace(graceMs);
    this.log.info('stopping');
    await this.components.stop();
    this.log.info('stopped');
  }
}

async function ensureListenerId(store: Store, settings: SettingsView) {
  if (settings.get('listenerId')) return;
  const id = (await store.get<string>('meta', 'listenerId')) ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  await store.commit([{ type: 'put', sublevel: store.sub('meta'), key: 'listenerId', value: id }]);
  settings.apply('listenerId', id, { starting: true });
}

async function ensureAdmin(users: Users, env: NodeJS.ProcessEnv, dataDir: string, log: Logger, say?: (text: string) => void) {
  const admin = await users.ensureAdmin(env.INSTANT_ON_ADMIN_PASSWORD || undefined);
  if (admin.generated) {
    // Shown once on the console and kept (0600) in the data dir until the password is changed; never logged.
    const file = join(dataDir, 'initial-admin-password');
    writeFileAtomic(file, admin.generated + '\n', 0o600);
    say?.(`\n  First start: the admin password is  ${admin.generated}\n  (also in ${file}; change it after signing in)\n`);
    log.warn({ file }, 'generated the first admin password (shown on the console once)');
  } else if (admin.created) {
    log.info('created the admin account with the password from INSTANT_ON_ADMIN_PASSWORD');
  }
}

/** What hp-print-mgmt answers: configured addresses, else this machine's; loopback only for the demo. */
function answerAddresses(settings: SettingsView, demo: boolean, log: Logger) {
  const configured = settings.get('dnsAddresses');
  if (configured.length) return { ipv4: configured.filter((a) => isIP(a) === 4), ipv6: configured.filter((a) => isIP(a) === 6) };
  if (demo) {
    // Simulated printers live on loopback; a real branch network must not be told to use 127.0.0.1.
    log.warn('demo: hp-print-mgmt answers loopback addresses so the simulated printers can reach this machine; do not use --demo on a branch network');
    return { ipv4: ['127.0.0.1'], ipv6: ['::1'] };
  }
  return defaultApplianceAddresses(settings.get('host'));
}

function hubNote(settings: SettingsView, log: Logger) {
  const peers = settings.get('relayPeers');
  if (peers.length) log.info({ relayPeers: peers }, 'hub mode: no DNS responder, no remediation; relays accepted from relayPeers');
  else log.warn('hub mode but relayPeers is empty: every relay will be refused until the branches\' addresses are added');
}

/** DNS answers by result and drops by reason, from the responder's stats (absent in hub mode). */
function dnsCounters(dns: DnsResponder): { counters: Record<string, number>; dropped: Record<string, number> } | undefined {
  const d = dns.stats() as unknown as Record<string, unknown> | undefined;
  if (!d) return undefined;
  const counters = Object.fromEntries(Object.entries(d).filter(([k, v]) => typeof v === 'number' && k !== 'droppedTotal')) as Record<string, number>;
  return { counters, dropped: (d.dropped ?? {}) as Record<string, number> };
}
