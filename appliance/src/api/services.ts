// The application API: everything the web routes (and the CLI) may use, as one object of small services.
// Routes never reach into the store or a socket; they call these.
import type { DeviceRegistry } from '../devices/index.ts';
import type { SettingsView } from '../config/index.ts';
import type { SettingKey } from '../config/index.ts';
import type { Users } from './users.ts';
import type { Sessions } from './sessions.ts';
import type { EventHub } from './routes/events.ts';
import type { AuditLog } from './audit.ts';
import type { PolicyRepo } from '../policy/index.ts';
import type { CredentialRepo } from '../snmp/index.ts';
import type { TaskEngine } from '../tasks/index.ts';
import type { Scheduler } from '../tasks/index.ts';
import type { AnnounceRate } from '../devices/index.ts';
import type { TrustRepo } from '../pki/index.ts';
import type { Identity } from '../pki/index.ts';
import type { Forwarder } from '../forward/index.ts';
import type { Autogroups, RemediationTriggers } from '../autogroups/index.ts';
import type { SerialFilter } from '../devices/index.ts';
import type { ApiTokens } from './api-tokens.ts';
import type { Discovery } from '../discovery/index.ts';
import type { HourlyHistory } from '../history/index.ts';
import type { ComplianceReports, ReportMailer } from '../reports/index.ts';
import type { DeviceActions } from './device-actions.ts';
import type { Backups } from '../backup/index.ts';

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
  /** The TCP port the announcement listener is bound to (the real one: a setting of 0 picks one). */
  announcePort?(): number;
  /** Counters of the running components, for /status and the dashboard. */

  stats(): Record<string, unknown>;
  /** The store's damage report: an admin acknowledges it once the devices it names were checked. */
  store?: { acknowledgeDamage(by: string): Promise<boolean> };
  /**
   * What is wrong right now (a damaged store, a full disk…), one sentence each; empty when all is well.
   * Any of these makes `GET /api/v1/health` say `degraded` (details only to a signed-in caller).
   */
  healthProblems?(): string[];
  /** Secondary listeners and the forwarding outbox (issue 8). */
  forwarding?: Forwarder;
  /** Manual and automatic discovery (issue 14); its onFound hook is autogroup trigger B. */
  discovery?: Discovery;
  /** Named API tokens for scripts and monitoring (issue 16 §8): `verify(secret)` for any bearer check. */
  apiTokens?: ApiTokens;
  /** Stored hourly counters: announcements and compliance over a year (issue 16 §6). */
  history?: HourlyHistory;
  /** Compliance reports over a period (issue 16 §1). */
  reports?: ComplianceReports;
  /** The compliance report e-mailed on a schedule (absent when no mail sender is wired). */
  reportMailer?: ReportMailer;
  /** Delete, retire and bulk actions on devices (issue 16 §7). */
  deviceActions?: DeviceActions;
  /** Backup and restore, scheduled backups (issue 16 §5). */
  backups?: Backups;
  /** Groups and autogroups with their remediation triggers (issue 15). */
  groups?: { groups: Autogroups; triggers: RemediationTriggers };
}
