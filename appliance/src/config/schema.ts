// Every setting of the appliance, one row each: its type, default, where it may come from and whether a
// change needs a restart. The API, the CLI help and the admin page are all driven from this table
// (the Pi-hole FTL / zigbee2mqtt way), so a setting is documented exactly once.
import { isIP } from 'node:net';
import { z } from 'zod';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export interface SettingDef<T = unknown> {
  schema: z.ZodType<T>;
  default: T;
  help: string;
  /** Environment variable that forces it (shown as locked in the UI). */
  env: string;
  /** CLI flag that forces it, if any. */
  flag?: string;
  /** A change takes effect only after a restart. */
  restart: boolean;
  /** Can be saved in the store through the API (the data dir itself cannot: it holds the store). */
  storable: boolean;
  /** Holds a secret (a password, a token): the API shows only whether it is set. */
  secret?: boolean;
  /** Kept sealed in the store (config/stored-settings.ts): secrets, and URLs that may carry a password. */
  sealed?: boolean;
  /** The admin page's words: a short name, the section it is shown in, and the unit of a number. */
  label?: string;
  group?: SettingGroup;
  unit?: string;
}

/** The admin page's sections, in the order it shows them. */
export const SETTING_GROUPS = ['Instant-On', 'Network and ports', 'DNS', 'Tasks and SNMP', 'Autogroups', 'Discovery', 'Forwarding and MQTT',
  'Security', 'Alerts and e-mail', 'Syslog and metrics', 'Storage and logs'] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean());
const list = z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v), z.array(z.string().min(1)));
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// "udp://host:port", "tcp://…", "tls://…"; IPv6 addresses in brackets. The message names the entry at fault.
const SYSLOG_TARGET = /^(udp|tcp|tls):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/;
const syslogTargetList = list.superRefine((v, ctx) => {
  v.forEach((t, i) => {
    const m = SYSLOG_TARGET.exec(t);
    if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) ctx.addIssue({ code: 'custom', path: [i], message: `entry ${i + 1} "${t.slice(0, 80)}" is not udp://host:port, tcp://host:port or tls://host:port` });
  });
  if (v.length > 8) ctx.addIssue({ code: 'custom', message: 'at most 8 syslog targets' });
});
const cidrList = list.superRefine((v, ctx) => {
  v.forEach((t, i) => {
    const [addr, bits, extra] = t.split('/');
    const family = isIP(addr);
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
      ctx.addIssue({ code: 'custom', path: [i], message: `entry ${i + 1} "${t.slice(0, 80)}" is not an address or address/bits` });
    }
  });
});
/** d:h:m:s as the vendor writes autoGroupFilterExecutionFrequency; at least one second, at most 9999 days. */
const dhms = z.string().trim().regex(/^\d{1,4}:\d{1,2}:\d{1,2}:\d{1,2}$/, 'must be d:h:m:s, e.g. 1:0:0:0')
  .refine((v) => { const [, h, m, s] = v.split(':').map(Number); return h < 24 && m < 60 && s < 60; }, 'hours below 24, minutes and seconds below 60')
  .refine((v) => v.split(':').some((x) => Number(x) > 0), 'must not be zero');

function def<T>(d: Omit<SettingDef<T>, 'storable'> & { storable?: boolean }): SettingDef<T> {
  return { storable: true, sealed: d.secret, ...d };
}

export const settingsSchema = {
  dataDir: def({ label: "Data folder", group: "Storage and logs", schema: z.string().min(1), default: './data', env: 'INSTANT_ON_DATA_DIR', flag: 'data-dir',
    restart: true, storable: false, help: 'Folder holding the LevelDB store, the appliance identity and keys.' }),
  host: def({ label: "Listen address", group: "Network and ports", schema: z.string().min(1), default: '::', env: 'INSTANT_ON_HOST', flag: 'host', restart: true,
    help: 'Address the DNS, announcement and web listeners bind to (:: = every address, IPv4 and IPv6).' }),
  dnsPort: def({ label: "DNS port", group: "Network and ports", schema: port, default: isRoot ? 53 : 5300, env: 'INSTANT_ON_DNS_PORT', flag: 'dns-port', restart: true,
    help: 'DNS port answering hp-print-mgmt (53 when run as root, else 5300).' }),
  announcePort: def({ label: "Announcement port (TCP)", group: "Network and ports", schema: port, default: 3329, env: 'INSTANT_ON_ANNOUNCE_PORT', flag: 'announce-port', restart: true,
    help: 'TLS port printers announce to (IANA hp-device-disc, 3329).' }),
  webPort: def({ label: "Admin page port (HTTPS)", group: "Network and ports", schema: port, default: isRoot ? 443 : 8443, env: 'INSTANT_ON_WEB_PORT', flag: 'web-port', restart: true,
    help: 'HTTPS port of the admin page and API (443 as root, else 8443).' }),
  acceptAnnouncements: def({ label: "Accept device announcements", group: "Instant-On", schema: bool, default: true, env: 'INSTANT_ON_ACCEPT_ANNOUNCEMENTS', restart: false,
    help: 'Accept device announcements. Off: printers get rejected/discovery-disabled.' }),
  captureUnknownFraming: def({ label: "Capture unknown framings", group: "Instant-On", schema: bool, default: false, env: 'INSTANT_ON_CAPTURE', restart: false,
    help: 'Record up to 4 KiB of connections whose first bytes are not HDAP (to learn a vendor framing).' }),
  captureMaxRecords: def({ label: "Captures kept", group: "Instant-On", unit: "records", schema: count(1, 10_000), default: 100, env: 'INSTANT_ON_CAPTURE_MAX_RECORDS', restart: false,
    help: 'Capture mode keeps at most this many records; the oldest are dropped.' }),
  frameTimeoutMs: def({ label: "Frame timeout", group: "Security", unit: "ms", schema: count(100, 120_000), default: 10_000, env: 'INSTANT_ON_FRAME_TIMEOUT_MS', restart: false,
    help: 'A connection that has not delivered a whole frame in this time is closed (HDAP.md §3: 10 s).' }),
  maxConcurrentHandshakes: def({ label: "TLS handshakes at once", group: "Security", unit: "connections", schema: count(1, 100_000), default: 512, env: 'INSTANT_ON_MAX_HANDSHAKES', restart: false,
    help: 'Connections still in the TLS handshake across all peers; more are closed at once (flood guard).' }),
  maxWaitingConnections: def({ label: "Connections waiting for a handshake", group: "Security", unit: "connections", schema: count(0, 100_000), default: 4096, env: 'INSTANT_ON_MAX_WAITING', restart: false,
    help: 'Connections waiting for a handshake slot (in arrival order) before new ones are refused; a wait longer than the frame deadline is closed.' }),
  maxConnectionsPerSource: def({ label: "Connections per source address", group: "Security", unit: "connections", schema: count(1, 10_000), default: 16, env: 'INSTANT_ON_MAX_CONN_PER_SOURCE', restart: false,
    help: 'Open announcement connections allowed from one IP address.' }),
  deviceHistoryLimit: def({ label: "History entries per device", group: "Storage and logs", unit: "entries", schema: count(1, 10_000), default: 50, env: 'INSTANT_ON_DEVICE_HISTORY', restart: false,
    help: 'Announcement and attribute-change entries kept per device; older ones are pruned.' }),
  listenerId: def({ label: "Name of this appliance in relay chains", group: "Forwarding and MQTT", schema: z.string().max(128).regex(/^[A-Za-z0-9._-]*$/), default: '', env: 'INSTANT_ON_LISTENER_ID', restart: true,
    help: 'This appliance\'s name in forwardedBy chains (HDAP.md §4); empty = derived from the host name on first start.' }),
  relayPeers: def({ label: "Appliances allowed to relay to this one", group: "Forwarding and MQTT", schema: list, default: [] as string[], env: 'INSTANT_ON_RELAY_PEERS', restart: false,
    help: 'Addresses of primary listeners allowed to relay announcements to this one (comma-separated).' }),
  dnsSearchSuffixes: def({ label: "Search suffixes", group: "DNS", schema: list, default: [] as string[], env: 'INSTANT_ON_DNS_SUFFIXES', restart: true,
    help: 'DNS search suffixes of the branch: hp-print-mgmt.<suffix> is answered too (comma-separated).' }),
  dnsUpstreams: def({ label: "Upstream resolvers", group: "DNS", schema: list, default: [] as string[], env: 'INSTANT_ON_DNS_UPSTREAMS', restart: true,
    help: 'Resolvers other names are forwarded to (ip or ip:port, comma-separated); none = REFUSED.' }),
  dnsAllowFrom: def({ label: "Clients whose other queries are forwarded", group: "DNS", schema: cidrList, default: [] as string[], env: 'INSTANT_ON_DNS_ALLOW_FROM', restart: true,
    help: 'Clients (IP or CIDR, comma-separated) whose queries for other names are forwarded to dnsUpstreams; others get REFUSED. Empty = this appliance\'s own subnets and loopback. hp-print-mgmt is answered to every client.' }),
  dnsAddresses: def({ label: "Addresses hp-print-mgmt answers with", group: "DNS", schema: list, default: [] as string[], env: 'INSTANT_ON_DNS_ADDRESSES', restart: true,
    help: 'Addresses hp-print-mgmt answers with; empty = this appliance\'s own interface addresses.' }),
  dnsTtl: def({ label: "Answer TTL", group: "DNS", unit: "s", schema: count(0, 86_400), default: 300, env: 'INSTANT_ON_DNS_TTL', restart: true,
    help: 'TTL of the hp-print-mgmt answers, in seconds.' }),
  dnsRateLimit: def({ label: "Queries per source", group: "DNS", unit: "per second", schema: count(0, 1_000_000), default: 200, env: 'INSTANT_ON_DNS_RATE_LIMIT', restart: true,
    help: 'DNS queries per second allowed from one source (0 = no limit).' }),
  authentication: def({ label: "Device authentication", group: "Instant-On", schema: z.enum(['none', 'mutual']), default: 'none' as 'none' | 'mutual', env: 'INSTANT_ON_AUTHENTICATION', restart: false,
    help: 'Device authentication: none (anonymous devices accepted; certificates recorded) or mutual (a client certificate chaining to a trusted CA is required).' }),
  useSerialList: def({ label: "Only devices on the serial-number list", group: "Instant-On", schema: bool, default: false, env: 'INSTANT_ON_USE_SERIAL_LIST', restart: false,
    help: 'Process only devices whose serial number is on the serial-number list; others get rejected/serial-not-listed.' }),
  allowAutomaticRemediation: def({ label: "Automatic remediation", group: "Instant-On", schema: bool, default: false, env: 'INSTANT_ON_AUTO_REMEDIATION', restart: false,
    help: 'Assess and remediate every accepted announcement with the Initial Assessment Policy (off: discovery only, as the vendor default).' }),
  initialPolicyId: def({ label: "Initial Assessment Policy (id)", group: "Instant-On", schema: z.string().max(64), default: '', env: 'INSTANT_ON_INITIAL_POLICY', restart: false,
    help: 'Id of the Initial Assessment Policy applied to announcing devices.' }),
  skipInstantOnPolicy: def({ label: "Trigger A: group policy only", group: "Autogroups", schema: bool, default: false, env: 'INSTANT_ON_SKIP_INSTANT_ON_POLICY', restart: false,
    help: 'Trigger A: a device that has a group policy gets only that policy after an announcement, not the Initial Assessment Policy first (a device without one still gets the initial policy).' }),
  autoGroupDiscoveryAutoRemediationEnable: def({ label: "Trigger B: remediate on discovery", group: "Autogroups", schema: bool, default: false, env: 'INSTANT_ON_AUTOGROUP_DISCOVERY_REMEDIATION', restart: false,
    help: 'Trigger B: a device found by discovery that is new in an autogroup with a policy is remediated with its group policy at once.' }),
  autoGroupDailyRefreshAutoRemediationEnable: def({ label: "Trigger C: remediate at an interval", group: "Autogroups", schema: bool, default: false, env: 'INSTANT_ON_AUTOGROUP_REFRESH_REMEDIATION', restart: false,
    help: 'Trigger C: every autoGroupFilterExecutionFrequency the filters are re-run and devices that joined an autogroup with a policy since the last run get their group policy.' }),
  autoGroupFilterExecutionFrequency: def({ label: "Trigger C interval", group: "Autogroups", unit: "d:h:m:s", schema: dhms, default: '1:0:0:0', env: 'INSTANT_ON_AUTOGROUP_FREQUENCY', restart: false,
    help: 'How often (d:h:m:s, counted from start) autogroup filters are re-run for trigger C; 1:0:0:0 = once a day.' }),
  autoGroupEditAutoRemediationEnable: def({ label: "Trigger D: remediate on edit", group: "Autogroups", schema: bool, default: false, env: 'INSTANT_ON_AUTOGROUP_EDIT_REMEDIATION', restart: false,
    help: 'Trigger D: editing an autogroup\'s filter or policy, or that policy itself, remediates every member of the group with its group policy.' }),
  maxNumberTasks: def({ label: "Assessment tasks at once", group: "Tasks and SNMP", unit: "tasks", schema: count(1, 100), default: 10, env: 'INSTANT_ON_MAX_TASKS', restart: false,
    help: 'Assessment tasks running at once (the vendor product\'s maxNumberTasks).' }),
  maxConcurrentDevices: def({ label: "SNMP conversations at once", group: "Tasks and SNMP", unit: "devices", schema: count(1, 4096), default: 64, env: 'INSTANT_ON_MAX_DEVICES', restart: false,
    help: 'SNMP conversations in flight across all tasks.' }),
  childTaskSize: def({ label: "Devices per task part", group: "Tasks and SNMP", unit: "devices", schema: count(1, 1000), default: 25, env: 'INSTANT_ON_CHILD_TASK_SIZE', restart: false,
    help: 'Devices per child task of an assessment task.' }),
  compatibilityMode: def({ label: "Vendor compatibility mode", group: "Tasks and SNMP", schema: bool, default: false, env: 'INSTANT_ON_COMPATIBILITY', restart: false,
    help: 'Run tasks like the vendor product: 10 tasks, one device at a time per task, one SNMP round trip per setting.' }),
  snmpTimeoutMs: def({ label: "SNMP answer timeout", group: "Tasks and SNMP", unit: "ms", schema: count(50, 60_000), default: 2000, env: 'INSTANT_ON_SNMP_TIMEOUT_MS', restart: false,
    help: 'Time to wait for one SNMP answer.' }),
  snmpRetries: def({ label: "SNMP retries", group: "Tasks and SNMP", unit: "retries", schema: count(0, 5), default: 1, env: 'INSTANT_ON_SNMP_RETRIES', restart: false,
    help: 'Retries of an unanswered SNMP request.' }),
  discoveryRate: def({ label: "Addresses probed", group: "Discovery", unit: "per second", schema: count(1, 10_000), default: 50, env: 'INSTANT_ON_DISCOVERY_RATE', restart: false,
    help: 'Addresses a discovery sweep probes per second at most (one SNMP GET per configured credential each), so a sweep never floods a branch network.' }),
  discoveryConcurrency: def({ label: "Addresses at once", group: "Discovery", unit: "addresses", schema: count(1, 1024), default: 32, env: 'INSTANT_ON_DISCOVERY_CONCURRENCY', restart: false,
    help: 'Addresses a discovery sweep talks to at once.' }),
  discoveryTimeoutMs: def({ label: "Probe timeout", group: "Discovery", unit: "ms", schema: count(50, 10_000), default: 1000, env: 'INSTANT_ON_DISCOVERY_TIMEOUT_MS', restart: false,
    help: 'Time a sweep waits for an address to answer SNMP, per attempt; most addresses of a range never answer, so this sets the sweep time.' }),
  discoveryRetries: def({ label: "Probe retries", group: "Discovery", unit: "retries", schema: count(0, 3), default: 1, env: 'INSTANT_ON_DISCOVERY_RETRIES', restart: false,
    help: 'Retries of an unanswered discovery probe (a lost datagram must not hide a printer).' }),
  discoveryMaxAddresses: def({ label: "Most addresses per job", group: "Discovery", unit: "addresses", schema: count(1, 65_536), default: 4096, env: 'INSTANT_ON_DISCOVERY_MAX_ADDRESSES', restart: false,
    help: 'Most addresses one discovery job may probe (4096 = a /20); bigger jobs are refused before anything is sent.' }),
  scheduleMinIntervalSeconds: def({ label: "Shortest schedule interval", group: "Tasks and SNMP", unit: "s", schema: count(1, 86_400), default: 300, env: 'INSTANT_ON_SCHEDULE_MIN_INTERVAL', restart: false,
    help: 'Shortest time allowed between two runs of a schedule (guards against "every 5 seconds" by mistake).' }),
  announceTooOftenPerHour: def({ label: "\"Announcing too often\" above", group: "Instant-On", unit: "per hour", schema: count(1, 100_000), default: 12, env: 'INSTANT_ON_TOO_OFTEN_PER_HOUR', restart: false,
    help: 'A device announcing more often than this per hour is flagged "announcing too often".' }),
  hubMode: def({ label: "Hub mode (central site)", group: "Forwarding and MQTT", schema: bool, default: false, env: 'INSTANT_ON_HUB', flag: 'hub', restart: true,
    help: 'Hub mode (central site): receives relays from branch appliances and keeps the registry and page; no DNS responder, no remediation.' }),
  forwardBindAddress: def({ label: "Relay source address", group: "Forwarding and MQTT", schema: z.string().max(64), default: '', env: 'INSTANT_ON_FORWARD_BIND', restart: false,
    help: 'Local address relays to secondary listeners are sent from (the hub lists it in relayPeers); empty = chosen by the system.' }),
  forwardOutboxMaxEntries: def({ label: "Queued relays kept", group: "Forwarding and MQTT", unit: "relays", schema: count(1, 10_000_000), default: 200_000, env: 'INSTANT_ON_OUTBOX_MAX_ENTRIES', restart: false,
    help: 'Queued relays kept for all secondary listeners; beyond this new ones are dropped, counted and alerted.' }),
  forwardOutboxMaxBytes: def({ label: "Queued relay bytes kept", group: "Forwarding and MQTT", unit: "bytes", schema: count(65_536, 64 * 1024 ** 3), default: 256 * 1024 ** 2, env: 'INSTANT_ON_OUTBOX_MAX_BYTES', restart: false,
    help: 'Bytes of queued relays kept (the outbox\'s share of the disk); beyond this new ones are dropped, counted and alerted.' }),
  forwardOutboxMaxAgeHours: def({ label: "Queued relays kept for", group: "Forwarding and MQTT", unit: "h", schema: count(1, 24 * 365), default: 24 * 14, env: 'INSTANT_ON_OUTBOX_MAX_AGE_HOURS', restart: false,
    help: 'Queued relays older than this are dropped (counted and alerted): a listener down for longer has lost them.' }),
  forwardBatchSize: def({ label: "Relays per round", group: "Forwarding and MQTT", unit: "relays", schema: count(1, 1000), default: 1000, env: 'INSTANT_ON_FORWARD_BATCH', restart: false,
    help: 'Queued announcements taken per round, spread over forwardConnections (HDAP.md §3: at most 1,000 per connection).' }),
  forwardConnections: def({ label: "Connections per listener", group: "Forwarding and MQTT", unit: "connections", schema: count(1, 16), default: 4, env: 'INSTANT_ON_FORWARD_CONNECTIONS', restart: false,
    help: 'Connections used at once per secondary listener; a device\'s announcements always share one, so they stay in order.' }),
  forwardRetryBaseMs: def({ label: "First retry delay", group: "Forwarding and MQTT", unit: "ms", schema: count(10, 3_600_000), default: 1000, env: 'INSTANT_ON_FORWARD_RETRY_BASE_MS', restart: false,
    help: 'First retry delay after a failed relay; doubles per failure (with jitter) up to forwardRetryMaxMs.' }),
  forwardRetryMaxMs: def({ label: "Longest retry delay", group: "Forwarding and MQTT", unit: "ms", schema: count(10, 86_400_000), default: 300_000, env: 'INSTANT_ON_FORWARD_RETRY_MAX_MS', restart: false,
    help: 'Longest delay between relay attempts to a listener that is down.' }),
  forwardTimeoutMs: def({ label: "Listener timeout", group: "Forwarding and MQTT", unit: "ms", schema: count(100, 600_000), default: 15_000, env: 'INSTANT_ON_FORWARD_TIMEOUT_MS', restart: false,
    help: 'Time to wait for a listener\'s connection or next Acknowledge.' }),
  messageDedupLimit: def({ label: "Message ids remembered", group: "Forwarding and MQTT", unit: "ids", schema: count(1000, 10_000_000), default: 50_000, env: 'INSTANT_ON_MESSAGE_DEDUP', restart: false,
    help: 'Recent messageIds remembered so that a repeated (at-least-once) relay creates nothing twice.' }),
  // A password in mqtt:// would cross the LAN in clear in every CONNECT: only over mqtts:// (certificate checked).
  mqttUrl: def({ label: "MQTT broker", group: "Forwarding and MQTT", schema: z.string().max(512).regex(/^$|^mqtts?:\/\//, 'must be mqtt://host:port or mqtts://…')
    .refine((v) => !/^mqtt:\/\/[^/?#]*:[^/?#]*@/i.test(v), 'a URL with a password must be mqtts:// (TLS): over mqtt:// the password crosses the network in clear'),
  default: '', env: 'INSTANT_ON_MQTT_URL', restart: true, sealed: true,
    help: 'MQTT broker that receives device events (QoS 1) and a retained state per serial; empty = off. mqtts:// checks the broker\'s certificate against the system CAs and the trusted CAs; a password needs mqtts://.' }),
  mqttTopicPrefix: def({ label: "MQTT topic prefix", group: "Forwarding and MQTT", schema: z.string().min(1).max(128).regex(/^[^#+]+$/, 'no MQTT wildcards'), default: 'instant-on', env: 'INSTANT_ON_MQTT_PREFIX', restart: true,
    help: 'Topic prefix: <prefix>/devices/<serial>/events and <prefix>/devices/<serial>/state (retained).' }),
  strictDeviceIdentity: def({ label: "Hold credentials when a device identity changes", group: "Security", schema: bool, default: false, env: 'INSTANT_ON_STRICT_DEVICE_IDENTITY', restart: false,
    help: 'Hold SNMP credentials for a device whose 3329 certificate changed (or that stopped presenting one) until an admin approves the new identity on its page; off: the change is only recorded and shown.' }),
  storeMinFreeMb: def({ label: "Free space below which health is degraded", group: "Storage and logs", unit: "MiB", schema: count(0, 1_000_000), default: 8, env: 'INSTANT_ON_STORE_MIN_FREE_MB', restart: false,
    help: 'Free space (MiB) under the data folder below which health is degraded; a store refusing writes for a full disk reopens once this much is free again.' }),
  // Operations (issue 16): syslog, alert e-mail, metrics.
  syslogTargets: def({ label: "Syslog collectors", group: "Syslog and metrics", schema: syslogTargetList, default: [] as string[], env: 'INSTANT_ON_SYSLOG_TARGETS', restart: false,
    help: 'Syslog collectors receiving audit events, alerts and device events as RFC 5424 with structured data: udp://host:port, tcp://host:port (octet-counted) or tls://host:port, comma-separated.' }),
  syslogFacility: def({ label: "Syslog facility", group: "Syslog and metrics", schema: z.enum(['local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']), default: 'local0' as string, env: 'INSTANT_ON_SYSLOG_FACILITY', restart: false,
    help: 'Syslog facility of the messages (audit events always use "log audit", facility 13).' }),
  syslogQueueMax: def({ label: "Messages queued per collector", group: "Syslog and metrics", unit: "messages", schema: count(10, 100_000), default: 2000, env: 'INSTANT_ON_SYSLOG_QUEUE', restart: false,
    help: 'Messages kept per syslog target while it is unreachable; beyond this the oldest are dropped and counted.' }),
  syslogTimeoutMs: def({ label: "Collector connect timeout", group: "Syslog and metrics", unit: "ms", schema: count(200, 120_000), default: 10_000, env: 'INSTANT_ON_SYSLOG_TIMEOUT_MS', restart: false,
    help: 'Time a TCP/TLS syslog collector has to accept the connection (and the TLS handshake) before it counts as not answering.' }),
  smtpHost: def({ label: "Mail server", group: "Alerts and e-mail", schema: z.string().max(253).regex(/^[A-Za-z0-9.:[\]-]*$/, 'a host name or address'), default: '', env: 'INSTANT_ON_SMTP_HOST', restart: false,
    help: 'Mail server for alert e-mail; empty = no e-mail.' }),
  smtpPort: def({ label: "Mail server port", group: "Alerts and e-mail", schema: port, default: 587, env: 'INSTANT_ON_SMTP_PORT', restart: false,
    help: 'Mail server port (587 submission with STARTTLS, 465 implicit TLS).' }),
  smtpSecurity: def({ label: "Mail connection security", group: "Alerts and e-mail", schema: z.enum(['starttls', 'tls', 'none']), default: 'starttls' as 'starttls' | 'tls' | 'none', env: 'INSTANT_ON_SMTP_SECURITY', restart: false,
    help: 'starttls: upgrade required (refuses a server without it); tls: implicit TLS from the first byte; none: plain text (a relay on this machine only).' }),
  smtpVerifyCertificate: def({ label: "Check the mail server certificate", group: "Alerts and e-mail", schema: bool, default: true, env: 'INSTANT_ON_SMTP_VERIFY', restart: false,
    help: 'Check the mail server\'s certificate against the system CAs and the trusted CAs of the appliance. Off: mail is sent without signing in (smtpUser is refused), since the password would go to whoever answers.' }),
  smtpUser: def({ label: "Mail sign-in name", group: "Alerts and e-mail", schema: z.string().max(256), default: '', env: 'INSTANT_ON_SMTP_USER', restart: false,
    help: 'Mail server sign-in name; empty = no authentication.' }),
  smtpPassword: def({ label: "Mail password", group: "Alerts and e-mail", schema: z.string().max(256), default: '', env: 'INSTANT_ON_SMTP_PASSWORD', restart: false, secret: true,
    help: 'Mail server password (never shown; write a new one to change it).' }),
  smtpFrom: def({ label: "Sender address", group: "Alerts and e-mail", schema: z.string().max(256).regex(/^$|^[^\s<>@]+@[^\s<>@]+$/, 'an e-mail address'), default: '', env: 'INSTANT_ON_SMTP_FROM', restart: false,
    help: 'Sender address of alert e-mail (empty = instant-on@<host name>).' }),
  smtpTimeoutMs: def({ label: "Mail server timeout", group: "Alerts and e-mail", unit: "ms", schema: count(500, 300_000), default: 20_000, env: 'INSTANT_ON_SMTP_TIMEOUT_MS', restart: false,
    help: 'Time to wait for the mail server to connect and answer each step.' }),
  alertDigestSeconds: def({ label: "Digest window", group: "Alerts and e-mail", unit: "s", schema: count(0, 86_400), default: 60, env: 'INSTANT_ON_ALERT_DIGEST_SECONDS', restart: false,
    help: 'Alert changes within this many seconds go out as one e-mail per recipient (a digest); 0 = at once.' }),
  alertExpiryDays: def({ label: "Expiry warning", group: "Alerts and e-mail", unit: "days", schema: count(1, 365), default: 30, env: 'INSTANT_ON_ALERT_EXPIRY_DAYS', restart: false,
    help: 'Certificates and CRLs that expire (or are due for renewal) within this many days raise an alert.' }),
  alertDiskFreeMb: def({ label: "\"Disk low\" below", group: "Alerts and e-mail", unit: "MiB", schema: count(0, 1_000_000), default: 500, env: 'INSTANT_ON_ALERT_DISK_FREE_MB', restart: false,
    help: 'Free space of the data folder\'s file system below which "disk low" is raised (0 = never).' }),
  alertForwardBacklog: def({ label: "\"Forwarding backlog\" above", group: "Alerts and e-mail", unit: "relays", schema: count(1, 10_000_000), default: 10_000, env: 'INSTANT_ON_ALERT_FORWARD_BACKLOG', restart: false,
    help: 'Queued relays for one secondary listener above which "forwarding backlog" is raised.' }),
  metricsToken: def({ label: "Metrics token", group: "Syslog and metrics", schema: z.string().max(256).regex(/^$|^[\x21-\x7e]{16,}$/, 'at least 16 printable characters, no spaces'), default: '', env: 'INSTANT_ON_METRICS_TOKEN', restart: false, secret: true,
    help: 'Bearer token accepted on GET /metrics (besides a signed-in API token); empty = none.' }),
  metricsAllowFrom: def({ label: "Metrics readable without a token from", group: "Syslog and metrics", schema: cidrList, default: [] as string[], env: 'INSTANT_ON_METRICS_ALLOW', restart: false,
    help: 'Addresses or networks (CIDR) that may read GET /metrics without a token, comma-separated.' }),
  reportEmailTo: def({ label: "Report e-mail recipients", group: "Alerts and e-mail", schema: list.pipe(z.array(z.string().max(254).regex(/^[^\s<>@,]+@[^\s<>@,]+$/, 'an e-mail address')).max(20)), default: [] as string[], env: 'INSTANT_ON_REPORT_EMAIL_TO', restart: false,
    help: 'Addresses the compliance report (PDF and CSV) is e-mailed to on the reportEmailEvery schedule (comma-separated); SMTP as for alerts.' }),
  reportEmailEvery: def({ label: "Report e-mail schedule", group: "Alerts and e-mail", schema: z.enum(['off', 'daily', 'weekly', 'monthly']), default: 'off' as 'off' | 'daily' | 'weekly' | 'monthly', env: 'INSTANT_ON_REPORT_EMAIL_EVERY', restart: false,
    help: 'E-mail the compliance report of the past day, week or month (30 days) to reportEmailTo; off = never.' }),
  backupFolder: def({ label: "Backup folder", group: "Storage and logs", schema: z.string().max(1024).regex(/^$|^\//, 'an absolute path'), default: '', env: 'INSTANT_ON_BACKUP_FOLDER', restart: false,
    help: 'Folder for scheduled backups (e.g. a USB stick mounted on the Pi); empty = no scheduled backups. Needs a passphrase stored on the Backup screen.' }),
  backupIntervalHours: def({ label: "Time between backups", group: "Storage and logs", unit: "h", schema: count(1, 24 * 366), default: 24, env: 'INSTANT_ON_BACKUP_INTERVAL_HOURS', restart: false,
    help: 'Hours between scheduled backups.' }),
  backupKeep: def({ label: "Backups kept", group: "Storage and logs", unit: "backups", schema: count(1, 1000), default: 7, env: 'INSTANT_ON_BACKUP_KEEP', restart: false,
    help: 'Scheduled backups kept in the folder; older ones of this appliance are deleted.' }),
  backupIncludeDevices: def({ label: "Backups include devices", group: "Storage and logs", schema: bool, default: false, env: 'INSTANT_ON_BACKUP_DEVICES', restart: false,
    help: 'Scheduled backups include the devices and their history (larger archives).' }),
  logLevel: def({ label: "Log level", group: "Storage and logs", schema: z.enum(['trace', 'debug', 'info', 'warn', 'error']), default: 'info', env: 'INSTANT_ON_LOG_LEVEL', flag: 'log-level',
    restart: false, help: 'Log verbosity: trace, debug, info, warn or error (changes at once).' }),
} satisfies Record<string, SettingDef<any>>;

export type SettingsSchema = typeof settingsSchema;
export type SettingKey = keyof SettingsSchema;
export type Settings = { [K in SettingKey]: SettingsSchema[K]['default'] };
export const settingKeys = Object.keys(settingsSchema) as SettingKey[];

/** Every setting is a CLI flag: the one named in its row, else its key in kebab case (maxNumberTasks → --max-number-tasks). */
export function settingFlag(key: SettingKey): string {
  return settingsSchema[key].flag ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
