// Server-side task lists (issue 17 §1): newest first, filtered and searched here, one page at a time. Task
// ids start with their creation time in base 36, so "older than the last id shown" is the cursor.
import { isActive, type TaskRecord, type TaskState, type TaskType } from './task.ts';

export interface TaskQuery {
  type?: TaskType;
  /** A state, or `active` (queued or running). */
  state?: TaskState | 'active';
  /** `top`: leave out the parts of an assessment (they are listed under their parent). */
  level?: 'top' | 'all';
  /** Only the parts of this assessment. */
  parentId?: string;
  /** Words that must all appear in the id, trigger, its label, group name or one of the serials. */
  q?: string;
  limit: number;
  cursor?: string;
}

export interface TaskPage { matched: number; tasks: TaskRecord[]; nextCursor: string | null }

export function pageTasks(all: Iterable<TaskRecord>, q: TaskQuery, labelOf: (t: TaskRecord) => string): TaskPage {
  const words = (q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const keep = (t: TaskRecord) => (!q.type || t.type === q.type)
    && (!q.state || (q.state === 'active' ? isActive(t) : t.state === q.state))
    && (q.level !== 'top' || !t.parentId)
    && (!q.parentId || t.parentId === q.parentId)
    && (words.length === 0 || matches(t, words, labelOf));
  const list: TaskRecord[] = [];
  for (const t of all) if (keep(t)) list.push(t);
  list.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  let start = 0;
  if (q.cursor) { while (start < list.length && list[start].id >= q.cursor) start++; }
  const tasks = list.slice(start, start + q.limit);
  const more = start + q.limit < list.length;
  return { matched: list.length, tasks, nextCursor: more ? tasks[tasks.length - 1].id : null };
}

function matches(t: TaskRecord, words: string[], labelOf: (t: TaskRecord) => string): boolean {
  const head = `${t.id} ${t.type} ${t.trigger} ${labelOf(t)} ${t.groupName ?? ''}`.toLowerCase();
  return words.every((w) => head.includes(w) || t.serials.some((s) => s.toLowerCase().includes(w)));
}
