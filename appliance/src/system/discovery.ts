// Discovery's place in the appliance (issue 14): the service (which registers the `discovery` task kind
// with the engine), its scheduled action and its routes, built here so the controller changes by one line.
import type { SettingsView } from '../config/index.ts';
import type { DeviceRegistry } from '../devices/index.ts';
import type { PolicyRepo } from '../policy/index.ts';
import type { CredentialRepo } from '../snmp/index.ts';
import type { TaskEngine } from '../tasks/index.ts';
import type { Scheduler } from '../tasks/index.ts';
import type { AppServices } from '../api/index.ts';
import type { RouteInstaller } from '../api/index.ts';
import { discoveryRoutes } from '../api/routes/discovery.ts';
import { Discovery } from '../discovery/index.ts';
import { identityHold } from '../devices/index.ts';
import type { Logger } from '../util/log.ts';

export interface DiscoveryWiring { services: Pick<AppServices, 'discovery'>; routes: RouteInstaller[]; discovery: Discovery }

export function buildDiscovery(d: { settings: SettingsView; registry: DeviceRegistry; policies: PolicyRepo; credentials: CredentialRepo;
  tasks: TaskEngine; scheduler: Scheduler; log: Logger }): DiscoveryWiring {
  const discovery = new Discovery({
    tasks: d.tasks, registry: d.registry, credentials: d.credentials, log: d.log, policyExists: (id) => !!d.policies.get(id),
    held: (device) => identityHold(device, d.settings.get('strictDeviceIdentity')),
    limits: () => ({ rate: d.settings.get('discoveryRate'), concurrency: d.settings.get('discoveryConcurrency'), timeoutMs: d.settings.get('discoveryTimeoutMs'),
      retries: d.settings.get('discoveryRetries'), maxAddresses: d.settings.get('discoveryMaxAddresses') }),
  });
  d.scheduler.registerAction('discovery', discovery.scheduleAction());
  return { services: { discovery }, routes: [discoveryRoutes], discovery };
}
