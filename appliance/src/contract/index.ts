// The API contract: every route the router serves, with what it takes (body, query) and what it answers.
// Keyed `METHOD /template` exactly as registered with the router (the same key as api/route-policy.ts).
// Routes import their request schemas from here; the page imports the answer types (`Answer<'GET …'>`);
// api/contract-check.ts validates every JSON answer against `response` when INSTANT_ON_CONTRACT_CHECK=1
// (every in-process system test), and test/system/contract.test.ts checks that no route is missing.
import { z } from 'zod';
import { NO_CONTENT, NOT_JSON, open } from './common.ts';
import * as auth from './auth.ts';
import * as compliance from './compliance.ts';
import * as devices from './devices.ts';
import * as discovery from './discovery.ts';
import * as forwarding from './forwarding.ts';
import * as settings from './settings.ts';
import * as system from './system.ts';
import * as trust from './trust.ts';
import * as observability from './observability.ts';
import * as operations from './operations.ts';
import * as groups from './groups.ts';

export * from './common.ts';
export type { ServerEvents } from './events.ts';
export { auth, compliance, devices, discovery, forwarding, groups, operations, settings, system, trust, observability };

export interface RouteContract {
  body?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType | typeof NOT_JSON | typeof NO_CONTENT;
}

const route = <T extends RouteContract>(c: T) => c;
/** Any JSON object: a route whose answer is not described field by field yet (test/system/contract.test.ts counts them). */
export const LOOSE = open({});

export const contract = {
  // ——— sign-in and accounts ———
  'POST /api/v1/login': route({ body: auth.login, response: auth.loginAnswer }),
  'POST /api/v1/logout': route({ response: NO_CONTENT }),
  'POST /api/v1/session': route({ body: auth.login, response: auth.cookieSession }),
  'GET /api/v1/session': route({ response: auth.session }),
  'DELETE /api/v1/session': route({ response: NO_CONTENT }),
  'POST /api/v1/password': route({ body: auth.passwordChange, response: auth.passwordChanged }),
  'GET /api/v1/tokens': route({ response: auth.tokenList }),
  'POST /api/v1/tokens': route({ body: auth.tokenInput, response: auth.tokenMade }),
  'DELETE /api/v1/tokens/:id': route({ response: open({ revoked: z.unknown() }) }),
  // ——— devices ———
  'GET /api/v1/devices': route({ query: devices.deviceListQuery, response: devices.deviceList }),
  'GET /api/v1/devices/:serial': route({ response: devices.deviceDetail }),
  'GET /api/v1/devices/:serial/identity': route({ response: devices.identity }),
  'POST /api/v1/devices/:serial/identity/approve': route({ response: devices.identity }),
  'GET /api/v1/devices.csv': route({ response: NOT_JSON }),
  'POST /api/v1/devices/:serial/assess': route({ body: compliance.assessPost, response: compliance.assessStarted }),
  'PUT /api/v1/devices/:serial/credentials': route({ body: compliance.credentialInput, response: compliance.credentials }),
  'DELETE /api/v1/devices/:serial/credentials': route({ response: NO_CONTENT }),
  'DELETE /api/v1/devices/:serial': route({ response: operations.deviceDeleted }),
  'PUT /api/v1/devices/:serial/retired': route({ body: operations.retiredPut, response: devices.device }),
  'POST /api/v1/devices/bulk': route({ body: operations.bulkRequest, response: operations.bulkResult }),
  // ——— backup and restore ———
  'POST /api/v1/backup': route({ body: operations.backupPost, response: NOT_JSON }),
  'POST /api/v1/restore': route({ response: operations.restoreAnswer }),
  'GET /api/v1/backup/schedule': route({ response: operations.backupStatus }),
  'PUT /api/v1/backup/passphrase': route({ body: operations.backupPassphrasePut, response: operations.backupStatus }),
  'POST /api/v1/backup/run': route({ response: operations.backupRun }),
  // ——— reports ———
  'GET /api/v1/reports/compliance': route({ query: operations.reportQuery, response: operations.complianceReport }),
  'GET /api/v1/reports/compliance.csv': route({ query: operations.reportQuery, response: NOT_JSON }),
  'GET /api/v1/reports/compliance.pdf': route({ query: operations.reportQuery, response: NOT_JSON }),
  'GET /api/v1/reports/mail': route({ response: operations.reportMailStatus }),
  'POST /api/v1/reports/mail': route({ body: operations.reportMailPost, response: operations.reportMailLast }),
  // ——— settings and Instant-On ———
  'GET /api/v1/settings': route({ response: settings.settingsList }),
  'PUT /api/v1/settings': route({ body: settings.settingsPut, response: settings.settingsPutAnswer }),
  'GET /api/v1/instant-on': route({ response: compliance.instantOn }),
  'PUT /api/v1/instant-on': route({ body: compliance.instantOnPut, response: compliance.instantOn }),
  // ——— policies, credentials, tasks, schedules ———
  'GET /api/v1/catalog': route({ response: compliance.catalog }),
  'GET /api/v1/catalog/support': route({ response: compliance.catalogSupport }),
  'GET /api/v1/policy-templates': route({ response: compliance.policyTemplates }),
  'GET /api/v1/policies': route({ response: compliance.policyList }),
  'POST /api/v1/policies': route({ body: compliance.policyInput, response: compliance.created }),
  'GET /api/v1/policies/:id': route({ response: compliance.policy }),
  'PUT /api/v1/policies/:id': route({ body: compliance.policyInput, response: compliance.policy }),
  'DELETE /api/v1/policies/:id': route({ response: NO_CONTENT }),
  'GET /api/v1/credentials': route({ response: compliance.credentials }),
  'PUT /api/v1/credentials/default': route({ body: compliance.credentialInput, response: compliance.credentials }),
  'PUT /api/v1/credentials/global': route({ body: z.array(compliance.credentialInput).max(20), response: compliance.credentials }),
  'GET /api/v1/tasks': route({ query: compliance.taskListQuery, response: compliance.taskList }),
  'GET /api/v1/tasks/:id': route({ response: compliance.taskDetail }),
  'POST /api/v1/tasks': route({ body: compliance.taskPost, response: compliance.taskPosted }),
  'POST /api/v1/tasks/cancel': route({ body: compliance.cancelAllBody, response: compliance.cancelAllAnswer }),
  'DELETE /api/v1/tasks/:id': route({ response: z.union([compliance.taskSummary, compliance.schedule]) }),
  'GET /api/v1/schedules': route({ response: compliance.scheduleList }),
  'PUT /api/v1/schedules/:id': route({ body: compliance.schedulePatch, response: compliance.schedule }),
  'DELETE /api/v1/schedules/:id': route({ response: compliance.schedule }),
  // ——— discovery ———
  'POST /api/v1/discovery': route({ body: discovery.start, response: discovery.started }),
  'POST /api/v1/discovery/upload': route({ query: discovery.uploadQuery, response: discovery.started }),
  'GET /api/v1/discovery': route({ response: discovery.overview }),
  'GET /api/v1/discovery/schedules': route({ response: compliance.scheduleList }),
  'POST /api/v1/discovery/schedules': route({ body: discovery.schedulePost, response: compliance.schedule }),
  'DELETE /api/v1/discovery/schedules/:id': route({ response: compliance.schedule }),
  // ——— groups and autogroups ———
  'GET /api/v1/groups': route({ response: groups.groupList }),
  'POST /api/v1/groups': route({ body: groups.groupInput, response: groups.group }),
  'GET /api/v1/groups/fields': route({ response: groups.fields }),
  'POST /api/v1/groups/preview': route({ body: groups.previewPost, response: groups.preview }),
  'GET /api/v1/groups/:id': route({ response: groups.group }),
  'PUT /api/v1/groups/:id': route({ body: groups.groupInput, response: groups.group }),
  'DELETE /api/v1/groups/:id': route({ response: NO_CONTENT }),
  'GET /api/v1/groups/:id/members': route({ response: groups.members }),
  'POST /api/v1/groups/:id/assess': route({ body: groups.assessPost, response: groups.assessStarted }),
  // ——— trust ———
  'GET /api/v1/pki/trusted-cas': route({ response: trust.trustedCas }),
  'POST /api/v1/pki/trusted-cas': route({ response: trust.caImported }),
  'DELETE /api/v1/pki/trusted-cas/:fingerprint': route({ response: NO_CONTENT }),
  'GET /api/v1/pki/crls': route({ response: trust.crls }),
  'POST /api/v1/pki/crls': route({ response: trust.crlImported }),
  'GET /api/v1/pki/identity': route({ response: trust.identity }),
  'PUT /api/v1/pki/identity': route({ response: trust.identityInstalled }),
  'GET /api/v1/pki/csr': route({ response: NOT_JSON }),
  'GET /api/v1/pki/ca': route({ response: NOT_JSON }),
  'GET /api/v1/pki/device-certificates': route({ response: trust.issued }),
  'POST /api/v1/pki/device-certificates': route({ response: trust.deviceCertificate }),
  'DELETE /api/v1/pki/device-certificates/:serial': route({ response: NO_CONTENT }),
  'GET /api/v1/serial-list': route({ response: trust.serialList }),
  'POST /api/v1/serial-list': route({ response: trust.serialImport }),
  'POST /api/v1/serial-list/:serial': route({ response: trust.serialAdded }),
  'DELETE /api/v1/serial-list/:serial': route({ response: NO_CONTENT }),
  // ——— forwarding ———
  'GET /api/v1/listeners': route({ response: forwarding.listenerList }),
  'GET /api/v1/listeners/:id': route({ response: forwarding.listener }),
  'POST /api/v1/listeners': route({ body: forwarding.listenerInput, response: compliance.created }),
  'PUT /api/v1/listeners/:id': route({ body: forwarding.listenerPatch, response: forwarding.listener }),
  'DELETE /api/v1/listeners/:id': route({ response: NO_CONTENT }),
  'GET /api/v1/forwarding': route({ response: forwarding.forwarding }),
  // ——— the appliance ———
  'GET /api/v1/health': route({ response: system.health }),
  'GET /api/v1/first-start': route({ response: system.firstStart }),
  'GET /api/v1/setup': route({ response: system.setup }),
  'GET /api/v1/status': route({ response: system.status }),
  'POST /api/v1/status/store/acknowledge-damage': route({ response: system.damageAcknowledged }),
  'GET /api/v1/captures': route({ response: system.captures }),
  'GET /api/v1/dns/check': route({ response: system.dnsCheck }),
  'GET /api/v1/audit': route({ query: system.auditQuery, response: system.audit }),
  'GET /api/v1/events': route({ response: NOT_JSON }),
  'GET /api/v1/stats/announcements': route({ response: system.announcementsPerHour }),
  // ——— alerts, syslog, metrics ———
  'GET /api/v1/alerts': route({ query: observability.alertListQuery, response: observability.alertList }),
  'GET /api/v1/alerts/kinds': route({ response: observability.alertKindList }),
  'GET /api/v1/alerts/summary': route({ response: observability.alertSummary }),
  'POST /api/v1/alerts/:id/resolve': route({ response: observability.alertRecord }),
  'POST /api/v1/alerts/check': route({ response: observability.alertSummary }),
  'GET /api/v1/alerts/subscriptions': route({ response: observability.subscriptionsAnswer }),
  'PUT /api/v1/alerts/subscriptions': route({ body: observability.subscriptionsPut, response: observability.subscriptionsAnswer }),
  'GET /api/v1/alerts/mail': route({ response: observability.mailStatus }),
  'POST /api/v1/alerts/mail/flush': route({ response: observability.mailStatus }),
  'POST /api/v1/alerts/mail/test': route({ body: observability.mailTest, response: observability.mailTested }),
  'GET /api/v1/syslog': route({ response: observability.syslogStatus }),
  'POST /api/v1/syslog/test': route({ response: observability.syslogTested }),
  'GET /api/v1/stats/history': route({ query: operations.historyQuery, response: operations.historyAnswer }),
  // ——— described loosely for now (any JSON object): their rooms' own schemas are to move here ———
  'GET /metrics': route({ response: NOT_JSON }),
} satisfies Record<string, RouteContract>;

export type RouteKey = keyof typeof contract;
type Resp<K extends RouteKey> = (typeof contract)[K]['response'];
/** What a route answers, as the page sees it. */
export type Answer<K extends RouteKey> = Resp<K> extends z.ZodType ? z.output<Resp<K>> : never;
/** What a route takes as its JSON body. */
export type Body<K extends RouteKey> = (typeof contract)[K] extends { body: z.ZodType } ? z.input<(typeof contract)[K]['body']> : never;

export function contractFor(method: string, template: string): RouteContract | undefined {
  return (contract as Record<string, RouteContract>)[`${method === 'HEAD' ? 'GET' : method} ${template}`];
}
