// Devices retire (issue 16 §7): DELETE /api/v1/devices/:serial, PUT /api/v1/devices/:serial/retired
// {"retired":true|false,"note"?}, POST /api/v1/devices/bulk {"action","serials",…}.
import type Router from '@koa/router';
import { retiredPut as retiredSchema } from '../../contract/operations.ts';
import { ApiError } from '../errors.ts';
import { recordChange } from '../audit.ts';
import type { AppServices } from '../services.ts';
import { bulkSchema, DeviceActionError, type DeviceActions } from '../device-actions.ts';
import { serialNumberSchema } from '../../protocol/messages.ts';
import { parseBody } from './core.ts';


function actions(s: AppServices): DeviceActions {
  if (!s.deviceActions) throw new ApiError(503, 'device-actions-unavailable', 'device actions are not available on this appliance');
  return s.deviceActions;
}

export function deviceActionRoutes(router: Router, s: AppServices) {
  router.delete('/api/v1/devices/:serial', async (ctx) => {
    const serial = parseBody(serialNumberSchema, ctx.params.serial);
    const before = s.registry.get(serial);
    if (!before || !(await actions(s).remove(serial))) throw new ApiError(404, 'device-not-found', `no device with serial ${serial}`);
    recordChange(ctx, { action: 'device.delete', before: { serialNumber: serial, model: before.model, ipv4: before.ipv4 } });
    ctx.body = { deleted: serial };
  });

  router.put('/api/v1/devices/:serial/retired', async (ctx) => {
    const serial = parseBody(serialNumberSchema, ctx.params.serial);
    const body = parseBody(retiredSchema, ctx.request.body);
    if (!(await actions(s).setRetired(serial, body.retired, ctx.state.auth.username, body.note))) throw new ApiError(404, 'device-not-found', `no device with serial ${serial}`);
    recordChange(ctx, { action: body.retired ? 'device.retire' : 'device.reinstate' });
    ctx.body = s.registry.get(serial);
  });

  router.post('/api/v1/devices/bulk', async (ctx) => {
    const body = parseBody(bulkSchema, ctx.request.body);
    try {
      const r = await actions(s).bulk(body, ctx.state.auth.username);
      recordChange(ctx, { action: `devices.bulk-${body.action}`, after: { done: r.done.length, skipped: Object.keys(r.skipped).length, taskId: r.taskId } });
      ctx.body = r;
    } catch (err) {
      if (err instanceof DeviceActionError) throw new ApiError(err.status, err.code, err.message, [{ field: err.field, message: err.message }]);
      throw err;
    }
  });
}
