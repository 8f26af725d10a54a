// The scheduled action "assessment": assess (and optionally remediate) devices with a policy. The task it
// starts carries the schedule's id as its trigger, so history and the task list can name the schedule.
import type { ScheduleActionHandler } from './scheduler.ts';
import { ScheduleError } from './scheduler.ts';
import type { TaskEngine } from './engine.ts';

export function assessmentAction(deps: { engine: TaskEngine; policyExists: (id: string) => boolean; allSerials: () => string[] }): ScheduleActionHandler {
  return {
    validate(action) {
      if (typeof action.policyId !== 'string' || !deps.policyExists(action.policyId)) throw new ScheduleError('policy-not-found', 'policyId', `no policy ${String(action.policyId)}`);
      if (action.serials !== undefined && !(Array.isArray(action.serials) && action.serials.every((x) => typeof x === 'string'))) {
        throw new ScheduleError('invalid-schedule', 'serials', 'serials must be a list of serial numbers');
      }
    },
    async run(action, schedule) {
      const listed = (action.serials as string[] | undefined) ?? [];
      const serials = listed.length ? listed : deps.allSerials();
      const task = await deps.engine.createAssessment(String(action.policyId), serials, action.remediate === true, `schedule:${schedule.id}`);
      return { taskId: task.id };
    },
  };
}
