// Why a task ran, in the page's words (issue 17 §7): an announcement's reason, an admin, a schedule by its
// name, a discovery, a group or one of the autogroup triggers. Stored triggers stay machine-readable
// (`schedule:<id>`, `autogroup:edit`); this names them where they are shown.
import { ANNOUNCE_REASONS } from '../protocol/index.ts';

export interface TriggerNames {
  /** The name of a schedule, undefined when it no longer exists. */
  schedule(id: string): string | undefined;
}

const AUTOGROUP: Record<string, string> = {
  'autogroup:discovery': 'Autogroup trigger B (found by discovery)',
  'autogroup:interval': 'Autogroup trigger C (interval)',
  'autogroup:edit': 'Autogroup trigger D (group or policy edited)',
};

/**
 * An Instant-On task's trigger is the announcement's reason (which may itself be `manual`: the printer's own
 * button); history entries store it as `announcement:<reason>` so they need no task type to read.
 */
export function triggerLabel(t: { trigger?: string; type?: string; groupName?: string }, names: TriggerNames): string {
  const trigger = t.type === 'instant-on' ? `announcement:${t.trigger}` : t.trigger;
  if (!trigger) return 'unknown';
  const inGroup = t.groupName ? ` — group "${t.groupName}"` : '';
  if (trigger.startsWith('announcement:')) {
    const reason = trigger.slice('announcement:'.length);
    return `Instant-On (announcement: ${(ANNOUNCE_REASONS as readonly string[]).includes(reason) ? reason.replace(/-/g, ' ') : 'unknown reason'})`;
  }
  if (trigger === 'manual') return `Manual${inGroup}`;
  if (trigger === 'group') return `Group assessment${inGroup}`;
  if (AUTOGROUP[trigger]) return `${AUTOGROUP[trigger]}${inGroup}`;
  const [kind, rest = ''] = splitOnce(trigger);
  if (kind === 'schedule') {
    const name = names.schedule(rest);
    return name === undefined ? `Schedule ${rest} (deleted)${inGroup}` : `Schedule "${name}"${inGroup}`;
  }
  if (kind === 'bulk') return `Bulk action by ${rest || 'an admin'}`;
  if (kind === 'discovery') return `After discovery task ${rest}`;
  return trigger;
}

function splitOnce(s: string): [string, string?] {
  const i = s.indexOf(':');
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}
