// Starts the appliance's components in order and stops them in reverse (the zigbee2mqtt controller idea).
// Nothing here decides protocol or policy; it wires rooms together and owns their lifetimes.
import https from 'node:https';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SettingsView } from '../config/settings.ts';
import { settingsSchema, type SettingKey } from '../config/schema.ts';
import { Store } from '../store/store.ts';
import { loadOrCreateIdentity, installSignedIdentity, splitPem, type Identity } from '../pki/identity.ts';
import { DeviceRegistry } from '../devices/registry.ts';
import { AnnouncementListener } from '../announce/listener.ts';
import { createIntake } from '../announce/intake.ts';
import { createApiApp } from '../api/app.ts';
import { Users } from '../api/users.ts';
import { Sessions } from '../api/sessions.ts';
import type { AppServices } from '../api/services.ts';
import type { Fleet } from '../sim/fleet.ts';
import { startDemoFleet } from '../sim/demo.ts';
import { storeCaptureSink } from '../announce/capture-store.ts';
import { componentLogger, type Logger } from '../util/log.ts';
import { VERSION } from './version.ts';
import { setAddonDataDir } from './sea-addon.ts';
import { writeFileAtomic } from '../util/atomic-file.ts';
import { PolicyRepo } from '../policy/policy-repo.ts';
import { CredentialRepo } from '../snmp/credential-repo.ts';
import { loadOrCreateKey, secretBox } from '../snmp/secret-box.ts';
import { createSnmpDeviceRunner } from '../snmp/device-runner.ts';
import { TaskEngine } from '../tasks/engine.ts';
import { Scheduler } from '../tasks/scheduler.ts';
import type { TaskRecord } from '../tasks/task.ts';
import { AnnounceRate } from '../devices/announce-rate.ts';
import { complianceRoutes } from '../api/routes/compliance.ts';
import { EventHub } from '../api/routes/events.ts';
import { AuditLog } from '../api/audit.ts';
import { trustRoutes } from '../api/routes/trust.ts';
import { TrustRepo } from '../pki/trust-repo.ts';
import { checkSignedIdentity } from '../pki/csr.ts';
import { SerialFilter } from '../devices/serial-filter.ts';
import { identityHold } from '../devices/identity.ts';
import { createAuthorizer } from '../announce/authorize.ts';
import { startDnsResponder, defaultApplianceAddresses, dnsSelfCheck, type DnsResponder } from '../dns/index.ts';
import { isIP } from 'node:net';
import { Forwarder } from '../forward/forwarder.ts';
import { MqttEvents } from '../forward/mqtt-events.ts';
import { noDnsResponder } from '../forward/hub-mode.ts';
import { forwardingRoutes } from '../api/routes/forwarding.ts';

export interface StartOptions {
  /** Values given on the command line (already mapped to setting keys). */
  cli?: Partial<Record<SettingKey, unknown>>;
  env?: NodeJS.ProcessEnv;
  /** Start this many simulated printers that announce to this appliance. */
  demo?: number;
  log: Logger;
  /** Tell the console (not the log) things a person must see once, such as a generated password. */
  say?: (text: string) => void;
  /** The store itself is failing (not a full disk): the CLI exits non-zero so systemd restarts it.
   *  Without it the appliance stops itself. */
  onFatal?: (err: Error) => void;
}

export class Appliance {
  private stopping = false;
  demoFleet?: Fleet;
  forwarder?: Forwarder;
  mqtt?: MqttEvents;

  private constructor(
    readonly settings: SettingsView,
    readonly store: Store,
    readonly identity: Identity,
    readonly registry: DeviceRegistry,
    readonly listener: AnnouncementListener,
    readonly web: https.Server,
    readonly services: AppServices,
    readonly tasks: TaskEngine,
    readonly dns: DnsResponder,
    private readonly log: Logger,
  ) {}

  get announcePort(): number { return this.listener.address.port; }
  get webPort(): number { return (this.web.address() as AddressInfo).port; }

  static async start(opts: StartOptions): Promise<Appliance> {
    const env = opts.env ?? process.env;
    const log = componentLogger(opts.log, 'controller');
    // The data dir decides where the stored settings are, so it is resolved from defaults, env and CLI alone.
    const boot = new SettingsView({ env, cli: opts.cli });
    const dataDir = resolve(boot.get('dataDir'));
    setAddonDataDir(dataDir); // inside the single binary, the LevelDB addon is unpacked under <dataDir>/.cache
    // Until the stored settings are read, the free-space floor is the schema default.
    let settingsRef: SettingsView = boot;
    const store = await Store.open({ dir: join(dataDir, 'db'), log: componentLogger(opts.log, 'store'),
      minFreeBytes: () => settingsRef.get('storeMinFreeMb') * 1024 * 1024 });
    let started: Appliance | undefined;
    store.on('failed', (err) => {
      if (opts.onFatal) return opts.onFatal(err);
      void (started?.stop(500) ?? store.close()).catch((e) => log.error({ err: e }, 'stopping after a store failure failed'));
    });
    try {
      const stored = Object.fromEntries(await store.entries<unknown>('settings'));
      const settings = new SettingsView({ stored, env, cli: opts.cli });
      settingsRef = settings;
      if (!settings.get('listenerId')) {
        const id = (await store.get<string>('meta', 'listenerId')) ?? `${hostname().replace(/[^A-Za-z0-9._-]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
        await store.commit([{ type: 'put', sublevel: store.sub('meta'), key: 'listenerId', value: id }]);
        settings.apply('listenerId', id);
      }

      const { identity, created } = loadOrCreateIdentity(dataDir);
      const current = { identity };
      if (created) log.info({ fingerprint256: identity.fingerprint256 }, 'created the appliance identity certificate');

      const users = new Users(store);
      const admin = await users.ensureAdmin(env.INSTANT_ON_ADMIN_PASSWORD || undefined);
      if (admin.generated) {
        // Shown once on the console and kept (0600) in the data dir until the password is changed; never logged.
        writeFileAtomic(join(dataDir, 'initial-admin-password'), admin.generated + '\n', 0o600);
        opts.say?.(`\n  First start: the admin password is  ${admin.generated}\n  (also in ${join(dataDir, 'initial-admin-password')}; change it after signing in)\n`);
        log.warn({ file: join(dataDir, 'initial-admin-password') }, 'generated the first admin password (shown on the console once)');
      } else if (admin.created) {
        log.info('created the admin account with the password from INSTANT_ON_ADMIN_PASSWORD');
      }

      const registry = new DeviceRegistry(store, () => settings.get('deviceHistoryLimit'));
      const count = await registry.load();
      log.info({ devices: count, dataDir }, 'store open');

      const policies = new PolicyRepo(store);
      await policies.load();
      const box = secretBox(await loadOrCreateKey(dataDir));
      const credentials = new CredentialRepo(store, box);
      const trustRepo = new TrustRepo(store, box);
      await trustRepo.load();
      const serials = new SerialFilter(store, componentLogger(opts.log, 'devices'));
      await serials.load();
      const announceRate = new AnnounceRate(() => settings.get('announceTooOftenPerHour'));
      const tasks = new TaskEngine({
        store, registry, policies, log: componentLogger(opts.log, 'tasks'),
        holdReason: (d) => identityHold(d, settings.get('strictDeviceIdentity')),
        runDevice: createSnmpDeviceRunner({ credentials, log: componentLogger(opts.log, 'snmp'),
          timeouts: () => ({ timeoutMs: settings.get('snmpTimeoutMs'), retries: settings.get('snmpRetries') }) }),
        limits: () => ({ maxNumberTasks: settings.get('compatibilityMode') ? 10 : settings.get('maxNumberTasks'),
          maxConcurrentDevices: settings.get('maxConcurrentDevices'), childTaskSize: settings.get('childTaskSize'),
          compatibilityMode: settings.get('compatibilityMode') }),
      });
      await tasks.load();
      const scheduler = new Scheduler({ store, engine: tasks, log: componentLogger(opts.log, 'scheduler'), allSerials: () => registry.list().map((d) => d.serialNumber) });
      await scheduler.start();

      // Instant-On (Secure at Install / Stay Secure): the task is created in the same batch as the device,
      // so an acknowledged announcement can never lose its assessment to a crash.
      const reserved = new Map<string, TaskRecord>();
      // Forwarding (issue 8): relays to secondary listeners are queued in the device's batch, drained by workers.
      const hub = settings.get('hubMode');
      const forwarder = new Forwarder({
        store, log: componentLogger(opts.log, 'forward'), listenerId: () => settings.get('listenerId'),
        caps: () => ({ maxEntries: settings.get('forwardOutboxMaxEntries'), maxBytes: settings.get('forwardOutboxMaxBytes'),
          maxAgeMs: settings.get('forwardOutboxMaxAgeHours') * 3600_000 }),
        batchSize: () => settings.get('forwardBatchSize'), connections: () => settings.get('forwardConnections'),
        backoff: () => ({ baseMs: settings.get('forwardRetryBaseMs'), maxMs: settings.get('forwardRetryMaxMs') }),
        bindAddress: () => settings.get('forwardBindAddress'), timeoutMs: () => settings.get('forwardTimeoutMs'),
        dedupLimit: () => settings.get('messageDedupLimit'), trustedCaPem: () => trustRepo.caPems(),
        identity: () => ({ keyPem: current.identity.keyPem, certPem: [current.identity.certPem, ...current.identity.chainPem].join('') }),
      });
      await forwarder.start();
      const announceLog = componentLogger(opts.log, 'announce');
      const authorize = createAuthorizer({
        mode: () => settings.get('authentication'), useSerialList: () => settings.get('useSerialList'),
        verify: (chain) => trustRepo.verify(chain), serials, log: announceLog,
        noteRefusal: (serial, lastAuth) => {
          if (registry.get(serial)) void registry.apply(serial, () => ({ patch: { lastAuth } }))
            .catch((err) => announceLog.error({ err: (err as Error).message, serial }, 'could not store the device\'s last refused authentication'));
        },
      });
      const intake = createIntake({
        // A hub only receives relays (forwardedBy set, from relayPeers); printers announcing to it directly are told so.
        authorize: (ann, peer) => hub && !ann.forwardedBy?.length
          ? { ok: false, reason: 'discovery-disabled', authMethod: 'anonymous', detail: 'hub mode: only relays from primary listeners are accepted' }
          : authorize(ann, peer),
        registry, log: announceLog,
        acceptAnnouncements: () => settings.get('acceptAnnouncements'),
        listenerId: () => settings.get('listenerId'),
        relayPeers: () => settings.get('relayPeers'),
        backlog: () => store.commitStats().queued,
        isDuplicate: (ann) => forwarder.isDuplicate(ann),
        extraOps: (ann, peer, r) => {
          const forwardOps = forwarder.extraOps(ann, peer, r);
          const policyId = settings.get('initialPolicyId');
          // A hub only keeps what branches relay: it never remediates.
          if (r.duplicate || hub || !settings.get('allowAutomaticRemediation') || !policies.get(policyId)) return forwardOps;
          const { ops, task } = tasks.reserveInstantOn(ann.device.serialNumber, policyId, ann.reason);
          if (task) reserved.set(ann.messageId, task);
          return [...ops, ...forwardOps];
        },
        afterAccept: (ann, r) => {
          announceRate.record(ann.device.serialNumber);
          serials.markDiscovered(ann.device.serialNumber);
          const task = reserved.get(ann.messageId);
          if (task) { reserved.delete(ann.messageId); tasks.adopt(task); }
          forwarder.afterAccept(ann, r);
        },
        onRecordFailed: (ann) => {
          const task = reserved.get(ann.messageId);
          if (task) { reserved.delete(ann.messageId); tasks.release(task); }
          forwarder.onRecordFailed(ann);
        },
      });
      const captureSink = storeCaptureSink(store, () => settings.get('captureMaxRecords'));
      const listener = new AnnouncementListener({
        host: settings.get('host'), port: settings.get('announcePort'), key: identity.keyPem, cert: [identity.certPem, ...identity.chainPem].join(''),
        handler: intake, capture: captureSink, log: announceLog, ca: trustRepo.caPems(),
        limits: () => ({ frameTimeoutMs: settings.get('frameTimeoutMs'), maxHandshakes: settings.get('maxConcurrentHandshakes'),
          maxPerSource: settings.get('maxConnectionsPerSource'), maxWaiting: settings.get('maxWaitingConnections'), capture: settings.get('captureUnknownFraming') }),
      });
      await listener.listen();
      log.info({ host: settings.get('host'), port: listener.address.port }, 'announcement listener ready (HDAP/1 over TLS)');

      // DNS last of the listeners: a printer that finds hp-print-mgmt must find 3329 already open.
      const configured = settings.get('dnsAddresses');
      let addresses = configured.length
        ? { ipv4: configured.filter((a) => isIP(a) === 4), ipv6: configured.filter((a) => isIP(a) === 6) }
        : defaultApplianceAddresses(settings.get('host'));
      if (opts.demo && !configured.length) {
        // Simulated printers live on loopback; a real branch network must not be told to use 127.0.0.1.
        addresses = { ipv4: ['127.0.0.1'], ipv6: ['::1'] };
        log.warn('demo: hp-print-mgmt answers loopback addresses so the simulated printers can reach this machine; do not use --demo on a branch network');
      }
      if (hub) {
        const peers = settings.get('relayPeers');
        if (peers.length) log.info({ relayPeers: peers }, 'hub mode: no DNS responder, no remediation; relays accepted from relayPeers');
        else log.warn('hub mode but relayPeers is empty: every relay will be refused until the branches\' addresses are added');
      }
      const dns = hub ? noDnsResponder() : await startDnsResponder({ host: settings.get('host'), port: settings.get('dnsPort'), searchSuffixes: settings.get('dnsSearchSuffixes'),
        addresses, ttl: settings.get('dnsTtl'), upstreams: settings.get('dnsUpstreams'), rateLimitPerSecond: settings.get('dnsRateLimit') },
      componentLogger(opts.log, 'dns'));
      if (!hub) log.info({ port: dns.udpPort, addresses: dns.addresses, suffixes: settings.get('dnsSearchSuffixes') }, 'DNS responder ready (hp-print-mgmt)');

      // Device events for central systems (issue 8), when a broker is configured.
      const mqtt = settings.get('mqttUrl') ? new MqttEvents({ url: settings.get('mqttUrl'), topicPrefix: settings.get('mqttTopicPrefix'),
        clientId: `instant-on-${settings.get('listenerId')}`, source: registry, known: registry.list(), log: componentLogger(opts.log, 'mqtt') }) : undefined;
      mqtt?.start();
      const startedAt = new Date();
      const events = new EventHub();
      const audit = new AuditLog(store, 10_000, componentLogger(opts.log, 'audit'));
      // "Identity changed" (issue 12 §3): the device's history has it (registry), the page hears it live, the audit log keeps it.
      registry.on('identity', ({ device, change }) => {
        events.publish('identity-changed', { serialNumber: device.serialNumber, change, held: Boolean(identityHold(device, settings.get('strictDeviceIdentity'))) });
        void audit.record({ user: '-', ip: change.toAddress, method: 'HDAP', path: '3329', status: 0, action: 'device.identity-changed',
          before: { serialNumber: device.serialNumber, certificate: change.from, address: change.fromAddress },
          after: { serialNumber: device.serialNumber, certificate: change.to, address: change.toAddress } })
          .catch((err) => log.error({ err: (err as Error).message, serial: device.serialNumber }, 'audit record failed: an identity change went unrecorded'));
      });
      const services: AppServices = {
        version: VERSION, startedAt, registry, settings, users, sessions: new Sessions(), policies, credentials, tasks, scheduler, announceRate,
        events, audit,
        saveSetting: async (key, value) => {
          await store.commit([{ type: 'put', sublevel: store.sub('settings'), key, value }]);
          settings.apply(key, value);
          log.info({ key, restart: settingsSchema[key].restart }, 'setting changed');
        },
        pki: {
          repo: trustRepo,
          identity: () => current.identity,
          installIdentity: async (text) => {
            const certs = splitPem(text);
            const r = checkSignedIdentity(certs[0] ?? '', certs.slice(1).join(''), current.identity.keyPem);
            if (!r.ok) return { ok: false, code: r.code, detail: r.detail };
            current.identity = installSignedIdentity(dataDir, current.identity, certs[0], r.chainPem);
            listener.updateContext({ key: current.identity.keyPem, cert: tlsCert(), ca: trustRepo.caPems() });
            web.setSecureContext({ key: current.identity.keyPem, cert: tlsCert(), minVersion: 'TLSv1.2' });
            log.info({ fingerprint256: current.identity.fingerprint256 }, 'installed a CA-signed identity certificate');
            return { ok: true };
          },
        },
        serials,
        captures: () => store.values('captures', { reverse: true }),
        forwarding: forwarder,
        dnsCheck: () => dnsSelfCheck({ searchSuffixes: settings.get('dnsSearchSuffixes'), addresses: dns.addresses,
          responder: { host: isIP(settings.get('host')) && !['::', '0.0.0.0'].includes(settings.get('host')) ? settings.get('host') : '127.0.0.1', port: dns.udpPort } }),
        health: () => store.health(),
        store: { acknowledgeDamage: (by) => store.acknowledgeDamage(by) },
        stats: () => ({ version: VERSION, devices: registry.size, announce: listener.stats(), store: store.status(), tasks: tasks.stats(), dns: dns.stats(), forwarding: forwarder.stats(), mqtt: mqtt?.stats(),
          memory: process.memoryUsage() }),
      };
      const { app } = createApiApp(services, componentLogger(opts.log, 'api'), [complianceRoutes, trustRoutes, forwardingRoutes]);
      const web = https.createServer({ key: identity.keyPem, cert: [identity.certPem, ...identity.chainPem].join(''), minVersion: 'TLSv1.2' }, app.callback());
      // Trusted CAs changed: the 3329 listener names them in its CertificateRequest from the next handshake on.
      const tlsCert = () => [current.identity.certPem, ...current.identity.chainPem].join('');
      trustRepo.onChange(() => listener.updateContext({ key: current.identity.keyPem, cert: tlsCert(), ca: trustRepo.caPems() }));
      await new Promise<void>((res, rej) => { web.once('error', rej); web.listen({ host: settings.get('host'), port: settings.get('webPort') }, () => { web.off('error', rej); res(); }); });
      log.info({ port: (web.address() as AddressInfo).port }, 'admin page and API ready (HTTPS)');

      const appliance = new Appliance(settings, store, identity, registry, listener, web, services, tasks, dns, log);
      started = appliance;
      appliance.forwarder = forwarder;
      appliance.mqtt = mqtt;
      if (opts.demo && opts.demo > 0) appliance.startDemo(opts.demo, componentLogger(opts.log, 'demo'));
      return appliance;
    } catch (err) {
      await store.close().catch((e) => log.error({ err: e }, 'closing the store after a failed start failed'));
      throw err;
    }
  }

  private startDemo(count: number, log: Logger) {
    this.demoFleet = startDemoFleet({ count, log, announcePort: this.announcePort, dnsPort: this.dns.udpPort,
      searchSuffixes: this.settings.get('dnsSearchSuffixes'), credentials: this.services.credentials });
  }

  /** Reverse order of start: stop taking work, finish what was acknowledged, close the store last. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info('stopping');
    await this.demoFleet?.stop();
    await this.listener.close(graceMs);
    this.services.scheduler.stop();
    await this.tasks.stop();
    await this.forwarder?.stop();
    await this.mqtt?.stop();
    this.web.closeAllConnections?.();
    await new Promise<void>((r) => this.web.close(() => r()));
    await this.dns.stop();
    await this.store.close();
    this.log.info('stopped');
  }
}
