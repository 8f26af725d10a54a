// The operations side of the appliance (issue 16): named API tokens, and later stored hourly history,
// reports and backups. Built here and handed to the controller as services, routes and components, so the
// controller's own list changes by one line per concern.
import type { Store } from '../store/store.ts';
import type { AppServices } from '../api/services.ts';
import type { RouteInstaller } from '../api/app.ts';
import { ApiTokens } from '../api/api-tokens.ts';
import { tokenRoutes } from '../api/routes/tokens.ts';
import { historyRoutes } from '../api/routes/history.ts';
import { HourlyHistory, fleetCompliance, type AnnounceTotals } from '../history/index.ts';
import type { DeviceRegistry } from '../devices/registry.ts';
import { component, type Component } from '../util/component.ts';
import type { Logger } from '../util/log.ts';

export interface OperationsDeps {
  store: Store;
  registry: DeviceRegistry;
  /** The announcement listener's counters since start. */
  announcements: () => AnnounceTotals;
  log: (name: string) => Logger;
}

export interface Operations {
  services: Pick<AppServices, 'apiTokens' | 'history'>;
  routes: RouteInstaller[];
  /** Started after the rooms they read and before the web server; stopped in reverse. */
  components: Component[];
}

export function buildOperations(d: OperationsDeps): Operations {
  const log = d.log('operations');
  const apiTokens = new ApiTokens(d.store, { onWriteError: (err) => log.error({ err: err.message }, 'could not record an API token\'s last use') });
  const history = new HourlyHistory({ store: d.store, announcements: d.announcements, compliance: () => fleetCompliance(d.registry.list()),
    onError: (err) => log.error({ err: err.message }, 'could not write the hourly history') });
  return {
    services: { apiTokens, history },
    routes: [tokenRoutes, historyRoutes],
    components: [
      component('api-tokens', () => apiTokens.load()),
      component('history', () => history.start(), () => history.stop()),
    ],
  };
}
