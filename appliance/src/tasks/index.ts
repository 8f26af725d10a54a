// Public surface of the tasks room: other rooms import only from here.
export { assessmentAction } from './assessment-action.ts';
export { TaskEngine } from './engine.ts';
export type { RunDevice, TaskGroup, TaskRun, TaskRunner } from './engine.ts';
export { parseEvery } from './schedule.ts';
export { ScheduleError, Scheduler } from './scheduler.ts';
export type { ScheduleActionHandler } from './scheduler.ts';
export type { ScheduleAction, ScheduleRecord, TaskProgress, TaskRecord } from './task.ts';
