// The application API: everything the web routes (and the CLI) may use, as one object of small services.
// Routes never reach into the store or a socket; they call these.
import type { DeviceRegistry } from '../devices/registry.ts';
import type { SettingsView } from '../config/settings.ts';
import type { SettingKey } from '../config/schema.ts';
import type { Users } from './users.ts';
import type { Sessions } from './sessions.ts';
import type { PolicyRepo } from '../policy/policy-repo.ts';
import type { CredentialRepo } from '../snmp/credential-repo.ts';
import type { TaskEngine } from '../tasks/engine.ts';
import type { Scheduler } from '../tasks/scheduler.ts';
import type { AnnounceRate } from '../devices/announce-rate.ts';

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
  /** DNS self-check: what the machine's resolvers and ours answer for hp-print-mgmt, and records to paste. */
  dnsCheck(): Promise<unknown>;
  /** Counters of the running components, for /health and the dashboard. */
  stats(): Record<string, unknown>;
}
