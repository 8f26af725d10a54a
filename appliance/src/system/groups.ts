// Groups and autogroups (issue 15), assembled for the controller: the domain room (autogroups/), its
// triggers' settings, the scheduled "group-assessment" action, the API routes, and where membership events
// go (audit, live events, MQTT). The controller adds one component and hands Instant-On `instantOnPolicies`.
import type { Store } from '../store/index.ts';
import type { SettingsView } from '../config/index.ts';
import type { DeviceRegistry } from '../devices/index.ts';
import type { Device } from '../devices/index.ts';
import type { PolicyRepo } from '../policy/index.ts';
import type { TaskEngine } from '../tasks/index.ts';
import { ScheduleError, type Scheduler } from '../tasks/index.ts';
import { parseEvery } from '../tasks/index.ts';
import { Autogroups, RemediationTriggers, assessGroup, type MembershipEvent } from '../autogroups/index.ts';
import type { RouteInstaller } from '../api/index.ts';
import { groupRoutes } from '../api/routes/groups.ts';
import { component, type Component } from '../util/component.ts';
import type { Logger } from '../util/log.ts';

export interface GroupsFeature {
  groups: Autogroups;
  triggers: RemediationTriggers;
  /** Trigger A: what an announcing device gets, in order (undefined: automatic remediation off). */
  instantOnPolicies(device: Device): string[] | undefined;
  routes: RouteInstaller[];
  component: Component;
  /** Where joins and leaves are told, once those exist (the API's hub and audit log, MQTT when set). */
  publishTo(sinks: MembershipSinks): void;
}

export interface MembershipSinks {
  events?: { publish(type: string, data: unknown): void };
  audit?: { record(e: { user: string; ip: string; method: string; path: string; status: number; action: string; after?: unknown }): Promise<unknown> };
  mqtt?: { deviceNote(serial: string, type: string, data: Record<string, unknown>): void };
}

/** Live events and audit entries name at most this many devices; the counts are always whole. */
const LISTED = 100;

export function buildGroups(d: { store: Store; settings: SettingsView; registry: DeviceRegistry; policies: PolicyRepo; tasks: TaskEngine; scheduler: Scheduler; log: (name: string) => Logger }): GroupsFeature {
  const log = d.log('autogroups');
  const policyExists = (id: string) => !!d.policies.get(id);
  const groups = new Autogroups({ store: d.store, registry: d.registry, policies: d.policies, log });
  // A hub keeps what branches relay and never remediates: its groups are for looking, not for triggers.
  const hub = d.settings.get('hubMode');
  const triggers = new RemediationTriggers({
    groups, tasks: d.tasks, store: d.store, log, policyExists,
    settings: () => ({
      allowAutomaticRemediation: d.settings.get('allowAutomaticRemediation'), initialPolicyId: d.settings.get('initialPolicyId'),
      skipInstantOnPolicy: d.settings.get('skipInstantOnPolicy'), discovery: !hub && d.settings.get('autoGroupDiscoveryAutoRemediationEnable'),
      interval: !hub && d.settings.get('autoGroupDailyRefreshAutoRemediationEnable'), intervalMs: parseEvery(d.settings.get('autoGroupFilterExecutionFrequency')),
      edit: !hub && d.settings.get('autoGroupEditAutoRemediationEnable'),
    }),
  });
  d.scheduler.registerAction('group-assessment', {
    validate(action) {
      if (typeof action.groupId !== 'string' || !groups.get(action.groupId)) throw new ScheduleError('group-not-found', 'groupId', `no group ${String(action.groupId)}`);
      if (action.policyId !== undefined && (typeof action.policyId !== 'string' || !policyExists(action.policyId))) throw new ScheduleError('policy-not-found', 'policyId', `no policy ${String(action.policyId)}`);
      if (action.policyId === undefined && !groups.get(action.groupId)!.policyId) throw new ScheduleError('no-policy', 'policyId', 'the group has no policy; name one');
    },
    run: async (action, schedule) => ({ taskId: (await assessGroup(groups, d.tasks, String(action.groupId),
      { policyId: action.policyId as string | undefined, remediate: action.remediate === true, trigger: `schedule:${schedule.id}`, policyExists })).id }),
  });
  return {
    groups, triggers,
    instantOnPolicies: (device) => triggers.instantOnPlan(device)?.policyIds,
    routes: [groupRoutes],
    component: component('groups', async () => {
      await groups.load();
      await triggers.start();
      log.info({ groups: groups.list().length }, 'groups loaded and membership current');
    }, () => { triggers.stop(); groups.detach(); }),
    publishTo(sinks) {
      groups.on('membership', (e: MembershipEvent) => {
        const summary = { group: { id: e.groupId, name: e.groupName }, cause: e.cause, joinedCount: e.joined.length, leftCount: e.left.length,
          joined: e.joined.slice(0, LISTED), left: e.left.slice(0, LISTED) };
        sinks.events?.publish('membership', { at: e.at, ...summary });
        void sinks.audit?.record({ user: 'system', ip: '', method: '', path: `/api/v1/groups/${e.groupId}`, status: 0, action: 'group-membership', after: summary })
          .catch((err) => log.error({ err: (err as Error).message }, 'could not record a membership change in the audit log'));
        for (const [list, type] of [[e.joined, 'group-joined'], [e.left, 'group-left']] as const) {
          for (const serial of list) sinks.mqtt?.deviceNote(serial, type, { group: { id: e.groupId, name: e.groupName }, cause: e.cause });
        }
      });
    },
  };
}
