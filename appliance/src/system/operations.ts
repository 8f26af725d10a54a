// The operations side of the appliance (issue 16): named API tokens, stored hourly history, compliance
// reports, device retirement and bulk actions, backups. Built here and handed to the controller as services, routes and components, so the
// controller's own list changes by one line per concern.
import type { Store } from '../store/index.ts';
import type { AppServices } from '../api/index.ts';
import type { RouteInstaller } from '../api/index.ts';
import { ApiTokens } from '../api/index.ts';
import { tokenRoutes } from '../api/routes/tokens.ts';
import { historyRoutes } from '../api/routes/history.ts';
import { HourlyHistory, fleetCompliance, type AnnounceTotals } from '../history/index.ts';
import type { DeviceRegistry } from '../devices/index.ts';
import type { TaskEngine } from '../tasks/index.ts';
import type { PolicyRepo } from '../policy/index.ts';
import type { CredentialRepo } from '../snmp/index.ts';
import type { SettingsView } from '../config/index.ts';
import { settingById } from '../policy/index.ts';
import { ComplianceJournal, ComplianceReports, ReportMailer } from '../reports/index.ts';
import type { MailText } from '../alerts/index.ts';
import { reportRoutes } from '../api/routes/reports.ts';
import { DeviceActions } from '../api/index.ts';
import { deviceActionRoutes } from '../api/routes/device-actions.ts';
import type { Autogroups } from '../autogroups/index.ts';
import type { GroupsPort } from '../reports/index.ts';
import type { GroupMembersPort } from '../api/index.ts';
import { Backups } from '../backup/index.ts';
import { backupRoutes } from '../api/routes/backup.ts';
import type { SecretBox } from '../snmp/index.ts';
import type { Identity } from '../pki/index.ts';
import { component, type Component } from '../util/component.ts';
import type { Logger } from '../util/log.ts';

export interface OperationsDeps {
  store: Store;
  registry: DeviceRegistry;
  tasks: TaskEngine;
  policies: PolicyRepo;
  credentials: CredentialRepo;
  settings: SettingsView;
  version: string;
  dataDir: string;
  box: SecretBox;
  identity: () => Identity;
  /** After a restore: restart the components (the CLI does it in-process); absent = the admin restarts. */
  requestRestart?: (reason: string) => void;
  /** Sends an e-mail with the alerts' SMTP settings (scheduled compliance reports). */
  sendMail?: (to: string[], mail: MailText) => Promise<void>;
  /** Groups (issue 15): a report's group scope and "add to a group" use them. */
  groups?: Autogroups;
  /** The announcement listener's counters since start. */
  announcements: () => AnnounceTotals;
  log: (name: string) => Logger;
}

export interface Operations {
  services: Pick<AppServices, 'apiTokens' | 'history' | 'reports' | 'reportMailer' | 'deviceActions' | 'backups'>;
  routes: RouteInstaller[];
  /** Started after the rooms they read and before the web server; stopped in reverse. */
  components: Component[];
}

export function buildOperations(d: OperationsDeps): Operations {
  const log = d.log('operations');
  const apiTokens = new ApiTokens(d.store, { onWriteError: (err) => log.error({ err: err.message }, 'could not record an API token\'s last use') });
  const history = new HourlyHistory({ store: d.store, announcements: d.announcements, compliance: () => fleetCompliance(d.registry.list()),
    onError: (err) => log.error({ err: err.message }, 'could not write the hourly history') });
  // Every compliance result worth keeping goes into the journal in the device's own batch.
  const journal = new ComplianceJournal(d.store, { onError: (err) => log.error({ err: err.message }, 'could not prune the compliance journal') });
  d.registry.addApplyHook(journal.hook);
  const groups = d.groups ? groupPorts(d.groups) : undefined;
  const reports = new ComplianceReports({ journal, registry: d.registry, policies: d.policies, groups: () => groups,
    meta: () => ({ appliance: d.settings.get('listenerId'), version: d.version, settingTitle: (id) => settingById(id)?.title }) });
  const reportMailer = d.sendMail ? new ReportMailer({ store: d.store, reports, appliance: () => d.settings.get('listenerId') || 'appliance', send: d.sendMail,
    settings: () => ({ to: d.settings.get('reportEmailTo'), every: d.settings.get('reportEmailEvery') }), log: d.log('report-mail') }) : undefined;
  const deviceActions = new DeviceActions({ registry: d.registry, tasks: d.tasks, policies: d.policies, credentials: d.credentials,
    deleteOps: (serials) => journal.deleteOps(serials), afterDelete: (serials) => journal.forget(serials), groups: () => groups });
  const backups = new Backups({ store: d.store, box: d.box, dataDir: d.dataDir, identity: d.identity, version: d.version,
    listenerId: () => d.settings.get('listenerId'), requestRestart: d.requestRestart, log: d.log('backup'),
    schedule: () => ({ folder: d.settings.get('backupFolder'), intervalHours: d.settings.get('backupIntervalHours'), keep: d.settings.get('backupKeep'),
      devices: d.settings.get('backupIncludeDevices') }) });
  return {
    services: { apiTokens, history, reports, reportMailer, deviceActions, backups },
    routes: [tokenRoutes, historyRoutes, reportRoutes, deviceActionRoutes, backupRoutes],
    components: [
      component('api-tokens', () => apiTokens.load()),
      component('history', () => history.start(), () => history.stop()),
      component('journal', async () => { await journal.load(); await journal.prune(); }),
      ...(reportMailer ? [component('report-mail', () => reportMailer.start(), () => reportMailer.stop())] : []),
      component('scheduled-backups', () => backups.scheduled.start(), () => backups.scheduled.stop()),
    ],
  };
}

/** The groups room as reports and device actions see it: names, members, and adding to a manual group. */
function groupPorts(g: Autogroups): GroupsPort & GroupMembersPort {
  return {
    get: (id) => { const r = g.get(id); return r ? { id: r.id, name: r.name, kind: r.kind } : undefined; },
    memberSerials: (id) => g.members(id, 0, Number.MAX_SAFE_INTEGER).members.map((m) => m.device.serialNumber),
    addMembers: async (id, serials) => {
      const r = g.get(id);
      if (!r) return;
      const { id: _id, createdAt: _c, updatedAt: _u, filter: _f, ...input } = r;
      await g.update(id, { ...input, members: [...new Set([...(r.members ?? []), ...serials])] } as Parameters<Autogroups['update']>[1]);
    },
  };
}
