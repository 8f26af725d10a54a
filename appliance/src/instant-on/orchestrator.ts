// Instant-On, the feature that ties the rooms together for one announcement: who may announce (the
// authorizer, with hub rules), and what is written in the same batch as the device (the Instant-On task and
// the forwarding outbox), so an acknowledged announcement can never lose its assessment or its relay to a
// crash. After the batch is durable the reserved work is started; if the batch fails it is released.
// Secure at Install and Stay Secure are the same path: every accepted announcement runs it.
import type { Announcement } from '../protocol/index.ts';
import type { StoreOp } from '../store/index.ts';
import type { RecordResult } from '../devices/index.ts';
import type { Device } from '../devices/index.ts';
import type { IntakeDeps, PeerContext, Verdict } from '../announce/index.ts';

/** What this feature needs of the task engine (tasks/engine.ts). */
export interface InstantOnTasks<T> {
  reserveInstantOn(serial: string, policyIds: string[], trigger: string): { ops: StoreOp[]; task?: T };
  adopt(task: T): void;
  release(task: T): void;
}

/** What this feature needs of forwarding (forward/forwarder.ts): relays queued in the device's batch. */
export interface InstantOnForwarding {
  extraOps(ann: Announcement, peer: PeerContext, r: RecordResult): StoreOp[];
  afterAccept(ann: Announcement, r: RecordResult): void;
  onRecordFailed(ann: Announcement): void;
}

export interface InstantOnDeps<T> {
  tasks: InstantOnTasks<T>;
  forwarding: InstantOnForwarding;
  /**
   * The policies to apply to the device as it is about to be stored, in order: the Initial Assessment Policy,
   * then its group policy (autogroups/ decides, with skipInstantOnPolicy); undefined when remediation is off.
   */
  policies: (device: Device) => string[] | undefined;
  /** False on a hub: it keeps what branches relay and never remediates. */
  remediates: boolean;
  /** Called for every accepted, recorded announcement (announce-rate flag, serial list "seen"). */
  seen: (serial: string) => void;
}

export type IntakeHooks = Required<Pick<IntakeDeps, 'extraOps' | 'afterAccept' | 'onRecordFailed'>>;

export function instantOnHooks<T>(deps: InstantOnDeps<T>): IntakeHooks {
  // messageId → task reserved inside that announcement's batch, until the batch is durable (or failed).
  const reserved = new Map<string, T>();
  return {
    extraOps: (ann, peer, r) => {
      const forwardOps = deps.forwarding.extraOps(ann, peer, r);
      const policyIds = deps.remediates && !r.duplicate ? deps.policies(r.device) : undefined;
      if (!policyIds?.length) return forwardOps;
      const { ops, task } = deps.tasks.reserveInstantOn(ann.device.serialNumber, policyIds, ann.reason);
      if (task) reserved.set(ann.messageId, task);
      return [...ops, ...forwardOps];
    },
    afterAccept: (ann, r) => {
      deps.seen(ann.device.serialNumber);
      const task = reserved.get(ann.messageId);
      if (task) { reserved.delete(ann.messageId); deps.tasks.adopt(task); }
      deps.forwarding.afterAccept(ann, r);
    },
    onRecordFailed: (ann) => {
      const task = reserved.get(ann.messageId);
      if (task) { reserved.delete(ann.messageId); deps.tasks.release(task); }
      deps.forwarding.onRecordFailed(ann);
    },
  };
}

export type Authorize = (ann: Announcement, peer: PeerContext) => Verdict;
