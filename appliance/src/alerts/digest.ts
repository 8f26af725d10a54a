// The text of alert e-mail: one change is one short message; many changes (a flood: fifty printers losing
// their credentials at once) are one digest, grouped by kind with a count, so an inbox gets one message.
import { ALERT_KINDS, type AlertKind } from './kinds.ts';
import type { AlertChange } from './alert-center.ts';

export interface MailText {
  subject: string;
  text: string;
  /** Files sent along (a scheduled compliance report's PDF and CSV). */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

const PER_KIND_LISTED = 50;

function line(c: AlertChange): string {
  const a = c.alert;
  const when = c.type === 'raised' ? a.raisedAt : a.resolvedAt ?? a.lastSeenAt;
  const fields = Object.entries(a.detail).map(([k, v]) => `${k}=${v}`).join(' ');
  return `  ${c.type === 'raised' ? 'RAISED  ' : 'RESOLVED'} ${when}  ${a.key} — ${a.message}${fields ? `  (${fields})` : ''}`;
}

/** `appliance` names the sender in the subject (listenerId), `dropped` counts changes lost to the queue's bound. */
export function composeAlertMail(changes: AlertChange[], opts: { appliance: string; dropped?: number }): MailText {
  const tag = `[instant-on ${opts.appliance}]`;
  const dropped = opts.dropped ? `\n${opts.dropped} older alert change(s) were dropped because the mail queue was full.\n` : '';
  const footer = `\n--\nSent by instant-on-edge (${opts.appliance}). Subscriptions: the Alerts page, or PUT /api/v1/alerts/subscriptions.\n`;
  if (changes.length === 1 && !opts.dropped) {
    const c = changes[0];
    const a = c.alert;
    const fields = Object.entries(a.detail).map(([k, v]) => `${k}: ${v}`).join('\n');
    return {
      subject: `${tag} ${c.type === 'raised' ? 'ALERT' : 'RESOLVED'}: ${a.title} — ${a.key}`,
      text: `${c.type === 'raised' ? 'Raised' : 'Resolved'}: ${a.title}\n\n${a.message}\n\nKey: ${a.key}\nSeverity: ${a.severity}\nRaised: ${a.raisedAt}\n` +
        `${a.resolvedAt ? `Resolved: ${a.resolvedAt}\n` : ''}${fields ? `\n${fields}\n` : ''}\n${ALERT_KINDS[a.kind].help}\n${footer}`,
    };
  }
  const raised = changes.filter((c) => c.type === 'raised').length;
  const resolved = changes.length - raised;
  const by = new Map<AlertKind, AlertChange[]>();
  for (const c of changes) by.set(c.alert.kind, [...(by.get(c.alert.kind) ?? []), c]);
  const sections = [...by.entries()].map(([kind, list]) => {
    const up = list.filter((c) => c.type === 'raised').length;
    const shown = list.slice(0, PER_KIND_LISTED).map(line).join('\n');
    const more = list.length > PER_KIND_LISTED ? `\n  … and ${list.length - PER_KIND_LISTED} more` : '';
    return `${ALERT_KINDS[kind].title}: ${up} raised, ${list.length - up} resolved\n${shown}${more}`;
  });
  return {
    subject: `${tag} Alert digest: ${raised} raised, ${resolved} resolved (${by.size} kind${by.size === 1 ? '' : 's'})`,
    text: `${changes.length} alert change(s) since the last message.${dropped}\n\n${sections.join('\n\n')}\n${footer}`,
  };
}
