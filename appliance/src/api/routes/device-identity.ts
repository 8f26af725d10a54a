// A device's identity (issue 12 §3): what it presents on 3329, whether that is the identity on record, and
// the admin's approval of a changed one (with strictDeviceIdentity, a changed device gets no SNMP before).
import type Router from '@koa/router';
import { ApiError } from '../errors.ts';
import type { AppServices } from '../services.ts';
import { parseBody } from './core.ts';
import { serialNumberSchema } from '../../protocol/messages.ts';
import { approveIdentity, identityView } from '../../devices/identity.ts';

export function deviceIdentityRoutes(router: Router, s: AppServices) {
  const device = (raw: string) => {
    const serial = parseBody(serialNumberSchema, raw);
    const d = s.registry.get(serial);
    if (!d) throw new ApiError(404, 'device-not-found', `no device with serial ${serial}`);
    return d;
  };

  router.get('/api/v1/devices/:serial/identity', (ctx) => {
    ctx.body = identityView(device(ctx.params.serial), s.settings.get('strictDeviceIdentity'));
  });

  router.post('/api/v1/devices/:serial/identity/approve', async (ctx) => {
    const d = device(ctx.params.serial);
    const by = ctx.state.auth?.username ?? 'admin';
    const before = identityView(d, s.settings.get('strictDeviceIdentity'));
    let approved = false;
    const next = await s.registry.apply(d.serialNumber, (cur) => {
      const step = approveIdentity(cur, by, new Date().toISOString());
      if (!step) return { patch: {} };
      approved = true;
      return { patch: step.patch, entries: [step.entry] };
    });
    if (!approved || !next) throw new ApiError(409, 'identity-not-pending', `${d.serialNumber} presents the identity on record: there is nothing to approve`);
    const after = identityView(next, s.settings.get('strictDeviceIdentity'));
    ctx.state.audit = { action: 'device.identity-approved', before: { serialNumber: d.serialNumber, ...before }, after: { serialNumber: d.serialNumber, ...after } };
    ctx.body = after;
  });
}
