// The audit log: who changed what, when, with the values before and after. The server searches and pages;
// each row opens with its button (keyboard too); new entries appear at the top of the first page live.
import { useEffect, useState } from 'preact/hooks';
import type { Answer } from '../api.ts';
import { useBox } from '../store.ts';
import { auditFeed } from '../live.ts';
import { ErrorText, fmtTime, Json, Page, Pager, RowToggle, useCursor, useDebounced, useRoute } from '../ui.tsx';

type Entry = Answer<'GET /api/v1/audit'>['entries'][number];

export function Audit() {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [outcome, setOutcome] = useState('');
  const pager = useCursor([q, outcome]);
  const list = useRoute('GET /api/v1/audit', { query: { limit: 50, q, outcome, cursor: pager.cursor } });
  const [open, setOpen] = useState('');
  const live = useBox(auditFeed);
  const [since, setSince] = useState<string>('');
  useEffect(() => { if (list.data && pager.page === 1) setSince(list.data.entries[0]?.id ?? ''); }, [list.data]);
  const data = list.data;
  // On the first page without a search, entries recorded since it loaded are shown above it.
  const fresh = pager.page === 1 && !q && !outcome ? live.filter((e) => e.id > since) : [];
  const rows: Entry[] = [...fresh.filter((e) => !data?.entries.some((x) => x.id === e.id)), ...(data?.entries ?? [])];
  return (
    <Page title="Audit log">
      {data && !data.durable && <div class="notice warn">The audit log is kept in memory only on this appliance build (lost on restart).</div>}
      <div class="filters" role="search">
        <input type="search" aria-label="Search the audit log" placeholder="Search: action, user, address, path…" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <select aria-label="Outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
          <option value="">Every request</option><option value="ok">Changes made</option><option value="failed">Refused (failed sign-ins and the like)</option>
        </select>
      </div>
      <ErrorText error={list.error} />
      {!data ? <p class="muted">Loading…</p> : rows.length === 0 ? <p class="muted">No entry matches.</p> : (
        <div class="table-wrap"><table data-testid="audit-table">
          <caption class="sr-only">Audit log, newest first</caption>
          <thead><tr><th scope="col"><span class="sr-only">Details</span></th><th scope="col">When</th><th scope="col">User</th><th scope="col">What</th><th scope="col" class="wide">Request</th><th scope="col">Status</th></tr></thead>
          <tbody>{rows.map((e) => (<>
            <tr key={e.id} data-entry={e.id} onClick={() => setOpen(open === e.id ? '' : e.id)} class={`clickable ${e.status >= 400 ? 'failed' : ''}`}>
              <td><RowToggle open={open === e.id} onToggle={() => setOpen(open === e.id ? '' : e.id)} label={`${e.action} at ${fmtTime(e.at)}`} controls={`audit-${e.id}`} /></td>
              <td><time dateTime={e.at}>{fmtTime(e.at)}</time></td><td>{e.user} <small class="muted">{e.ip}</small></td><td>{e.action}</td>
              <td class="wide mono">{e.method} {e.path}</td><td>{e.status}</td>
            </tr>
            {open === e.id && <tr key={`${e.id}-d`} id={`audit-${e.id}`}><td colSpan={6} class="audit-detail">
              {e.before !== undefined && <><h3>Before</h3><Json value={e.before} /></>}
              {e.request !== undefined && <><h3>Request</h3><Json value={e.request} /></>}
              {e.after !== undefined && <><h3>After</h3><Json value={e.after} /></>}
              {e.before === undefined && e.request === undefined && e.after === undefined && <p class="muted">Nothing more was recorded for this request.</p>}
            </td></tr>}
          </>))}</tbody>
        </table>
        <Pager what="entries" page={pager.page} hasPrev={pager.page > 1} nextCursor={data.nextCursor} onPrev={pager.prev} onNext={pager.next} shown={data.entries.length} matched={data.matched} /></div>
      )}
    </Page>
  );
}
