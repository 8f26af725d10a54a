// What an admin does to devices by hand (issue 16 §7): delete (with history, its SNMP credential override and
// its compliance journal), retire or reinstate, and bulk actions over a selection: assess, remediate,
// delete, retire, reinstate, add to a group. Every selected serial gets a per-device outcome, so a page that
// selected 500 devices learns exactly which 3 were not done and why.
import type { z } from 'zod';
import type { DeviceRegistry } from '../devices/index.ts';
import type { TaskEngine } from '../tasks/index.ts';
import type { PolicyRepo } from '../policy/index.ts';
import type { CredentialRepo } from '../snmp/index.ts';
import type { StoreOp } from '../store/index.ts';

export { BULK_MAX, bulkRequest as bulkSchema } from '../contract/operations.ts';
import { bulkRequest as bulkSchema } from '../contract/operations.ts';

export type BulkRequest = z.infer<typeof bulkSchema>;

/** What device actions need of groups (manual groups take members; the autogroups room provides it). */
export interface GroupMembersPort {
  get(id: string): { id: string; name: string; kind: string } | undefined;
  addMembers(id: string, serials: string[]): Promise<void>;
}

export class DeviceActionError extends Error {
  constructor(readonly status: number, readonly code: string, readonly field: string, message: string) { super(message); }
}

export interface BulkResult {
  action: BulkRequest['action'];
  done: string[];
  /** serial → why it was not done. */
  skipped: Record<string, string>;
  taskId?: string;
}

export interface DeviceActionsDeps {
  registry: DeviceRegistry;
  tasks: TaskEngine;
  policies: PolicyRepo;
  credentials: CredentialRepo;
  /** Other rooms' records of devices to delete with them (the compliance journal). */
  deleteOps?: (serials: string[]) => Promise<StoreOp[]>;
  afterDelete?: (serials: string[]) => void;
  groups?: () => GroupMembersPort | undefined;
}

export class DeviceActions {
  constructor(private readonly d: DeviceActionsDeps) {}

  async remove(serial: string): Promise<boolean> {
    const r = await this.removeMany([serial]);
    return r.done.length === 1;
  }

  private async removeMany(serials: string[]): Promise<{ done: string[]; skipped: Record<string, string> }> {
    const skipped: Record<string, string> = {};
    const present = serials.filter((s) => (this.d.registry.get(s) ? true : ((skipped[s] = 'not found'), false)));
    // One scan of the journal for the whole selection, then each device in its own batch (group-committed).
    const extra = this.d.deleteOps ? await this.d.deleteOps(present) : [];
    const bySerial = new Map<string, StoreOp[]>();
    for (const op of extra) {
      const serial = serialOf(op, present);
      bySerial.set(serial, [...(bySerial.get(serial) ?? []), op]);
    }
    const done: string[] = [];
    for (let i = 0; i < present.length; i += 200) {
      await Promise.all(present.slice(i, i + 200).map(async (serial) => {
        if (await this.d.registry.remove(serial, bySerial.get(serial) ?? [])) done.push(serial);
        else skipped[serial] = 'not found';
        await this.d.credentials.setDevice(serial, undefined);
      }));
    }
    this.d.afterDelete?.(done);
    return { done, skipped };
  }

  async setRetired(serial: string, retired: boolean, by: string, note?: string): Promise<boolean> {
    return !!(await this.d.registry.setRetired(serial, retired, by, note));
  }

  async bulk(req: BulkRequest, by: string): Promise<BulkResult> {
    const serials = [...new Set(req.serials)];
    const skipped: Record<string, string> = {};
    const known = serials.filter((s) => (this.d.registry.get(s) ? true : ((skipped[s] = 'not found'), false)));
    switch (req.action) {
      case 'assess':
      case 'remediate': {
        if (!this.d.policies.get(req.policyId!)) throw new DeviceActionError(400, 'policy-not-found', 'policyId', `no policy ${req.policyId}`);
        const active = known.filter((s) => (this.d.registry.get(s)?.retired ? ((skipped[s] = 'retired'), false) : true));
        if (!active.length) return { action: req.action, done: [], skipped };
        const task = await this.d.tasks.createAssessment(req.policyId!, active, req.action === 'remediate', `bulk:${by}`);
        return { action: req.action, done: active, skipped, taskId: task.id };
      }
      case 'delete': {
        const r = await this.removeMany(known);
        return { action: req.action, done: r.done, skipped: { ...skipped, ...r.skipped } };
      }
      case 'retire':
      case 'reinstate': {
        const done: string[] = [];
        for (const s of known) {
          const dev = this.d.registry.get(s);
          if (!!dev?.retired === (req.action === 'retire')) { skipped[s] = req.action === 'retire' ? 'already retired' : 'not retired'; continue; }
          if (await this.setRetired(s, req.action === 'retire', by, req.note)) done.push(s); else skipped[s] = 'not found';
        }
        return { action: req.action, done, skipped };
      }
      case 'add-to-group': {
        const groups = this.d.groups?.();
        if (!groups) throw new DeviceActionError(400, 'groups-unavailable', 'groupId', 'groups are not available on this appliance');
        const g = groups.get(req.groupId!);
        if (!g) throw new DeviceActionError(400, 'group-not-found', 'groupId', `no group ${req.groupId}`);
        if (g.kind !== 'manual') throw new DeviceActionError(400, 'group-not-manual', 'groupId', `${g.name} is an autogroup: its members come from its filter`);
        await groups.addMembers(g.id, known);
        return { action: req.action, done: known, skipped };
      }
    }
  }
}

/** Which selected serial a journal delete belongs to (its key names it). */
function serialOf(op: StoreOp, serials: string[]): string {
  const parts = op.key.split('!');
  return serials.find((s) => parts.includes(s)) ?? serials[0];
}
