// The application API: everything the web routes (and the CLI) may use, as one object of small services.
// Routes never reach into the store or a socket; they call these.
import type { DeviceRegistry } from '../devices/registry.ts';
import type { SettingsView } from '../config/settings.ts';
import type { SettingKey } from '../config/schema.ts';
import type { Users } from './users.ts';
import type { Sessions } from './sessions.ts';
import type { EventHub } from './routes/events.ts';
import type { AuditLog } from './audit.ts';
import type { PolicyRepo } from '../policy/policy-repo.ts';
import type { CredentialRepo } from '../snmp/credential-repo.ts';
import type { TaskEngine } from '../tasks/engine.ts';
import type { Scheduler } from '../tasks/scheduler.ts';
import type { AnnounceRate } from '../devices/announce-rate.ts';
import type { TrustRepo } from '../pki/trust-repo.ts';
import type { Identity } from '../pki/identity.ts';
import type { Forwarder } from '../forward/forwarder.ts';
import type { SerialFilter } from '../devices/serial-filter.ts';

export interface AppServices {
  version: string;
  startedAt: Date;
  registry: DeviceRegistry;
  settings: SettingsView;
  /** Persists a validated setting and applies it (runtime settings take effect at once). */
  saveSetting(key: SettingKey, value: unknown): Promise<void>;
  users: Users;
  sessions: Sessions;
  policies: PolicyRepo;
  credentials: CredentialRepo;
  tasks: TaskEngine;
  scheduler: Scheduler;
  announceRate: AnnounceRate;
  pki: {
    repo: TrustRepo;
    identity(): Identity;
    /** Checks a CA-signed certificate (and chain) against the identity key and installs it on 3329 and HTTPS. */
    installIdentity(pemText: string): Promise<{ ok: true } | { ok: false; code: string; detail: string }>;
  };
  serials: SerialFilter;
  /** Capture mode records (HDAP.md §7), newest first. */
  captures(): Promise<unknown[]>;
  /** DNS self-check: what the machine's resolvers and ours answer for hp-print-mgmt, and records to paste. */
  dnsCheck(): Promise<unknown>;
  /** Server-sent events hub: any room may publish(type, data). */
  events?: EventHub;
  /** Durable audit log of changes made through the API. */
  audit?: AuditLog;
  /** Counters of the running components, for /health and the dashboard. */
  stats(): Record<string, unknown>;
  /** ok, or degraded with reasons (the store: damage found on open, a full disk). */
  health?(): { status: 'ok' | 'degraded' | 'failed'; reasons: string[] };
  /** The store's damage report: an admin acknowledges it once the devices it names were checked. */
  store?: { acknowledgeDamage(by: string): Promise<boolean> };
  /** Secondary listeners and the forwarding outbox (issue 8). */
  forwarding?: Forwarder;
}
