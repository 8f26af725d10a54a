// A domain-only rig: memory store, registry, policies, the real task engine with a recording device runner.
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import { PolicyRepo } from '../../../appliance/src/policy/policy-repo.ts';
import { TaskEngine, type RunDevice } from '../../../appliance/src/tasks/engine.ts';
import { Autogroups } from '../../../appliance/src/autogroups/autogroups.ts';
import { RemediationTriggers, type TriggerSettings } from '../../../appliance/src/autogroups/triggers.ts';
import { announcementSchema } from '../../../appliance/src/protocol/messages.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';
import { sampleAnnouncement } from '../../fakes/hdap-raw-client.ts';

export async function rig(opts: { store?: Store; settings?: Partial<TriggerSettings>; clock?: () => number; runMs?: number } = {}) {
  const store = opts.store ?? await Store.open();
  const registry = new DeviceRegistry(store, () => 50);
  await registry.load();
  const policies = new PolicyRepo(store);
  await policies.load();
  const runs: { serial: string; policy: string }[] = [];
  const runDevice: RunDevice = async (device, policy) => {
    runs.push({ serial: device.serialNumber, policy: policy.name });
    if (opts.runMs) await new Promise((r) => setTimeout(r, opts.runMs));
    return { record: { status: 'remediated', settings: [] } };
  };
  const tasks = new TaskEngine({ store, registry, policies, runDevice, log: silentLogger(),
    limits: () => ({ maxNumberTasks: 10, maxConcurrentDevices: 64, childTaskSize: 25, compatibilityMode: false }) });
  await tasks.load();
  const groups = new Autogroups({ store, registry, policies, log: silentLogger(), clock: opts.clock });
  await groups.load();
  const settings: TriggerSettings = { allowAutomaticRemediation: false, initialPolicyId: '', skipInstantOnPolicy: false, discovery: false,
    interval: false, intervalMs: 86_400_000, edit: false, ...opts.settings };
  const triggers = new RemediationTriggers({ groups, tasks, settings: () => settings, store, log: silentLogger(), policyExists: (id) => !!policies.get(id), clock: opts.clock, tickMs: 3_600_000 });
  await triggers.start();
  const announce = (serial: string, patch: Record<string, unknown> = {}, reason = 'initial-boot') => {
    const a = sampleAnnouncement(serial, { reason }) as any;
    Object.assign(a.device, patch);
    return registry.record(announcementSchema.parse(a), { address: '10.0.0.1', authMethod: 'anonymous' });
  };
  const settle = async () => {
    for (let i = 0; i < 500; i++) {
      await new Promise((r) => setTimeout(r, 5));
      if (!tasks.list({ state: 'active' }).length && store.commitStats().queued === 0) return;
    }
    throw new Error('tasks did not settle');
  };
  return { store, registry, policies, tasks, groups, triggers, settings, runs, announce, settle,
    stop: async () => { triggers.stop(); groups.detach(); await tasks.stop(); } };
}
