// The audit log: who changed what, when, with the values before and after; new entries appear live.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useBox } from '../store.ts';
import { auditFeed } from '../live.ts';
import { ErrorText, fmtTime, Json, Page } from '../ui.tsx';

export function Audit() {
  const [entries, setEntries] = useState<any[]>([]);
  const [durable, setDurable] = useState(true);
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState('');
  const [more, setMore] = useState(true);
  const live = useBox(auditFeed);
  const load = async (before?: string) => {
    try {
      const r = await api('GET', `/api/v1/audit?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      setDurable(r.durable);
      setMore(r.entries.length === 100);
      setEntries(before ? [...entries, ...r.entries] : r.entries);
    } catch (e) { setError(e); }
  };
  useEffect(() => { void load(); }, []);
  const seen = new Set(entries.map((e) => e.id));
  const all = [...live.filter((e) => !seen.has(e.id) && (!entries[0] || e.id > entries[0].id)), ...entries];
  return (
    <Page title="Audit log">
      {!durable && <div class="notice warn">The audit log is kept in memory only on this appliance build (lost on restart).</div>}
      <ErrorText error={error} />
      <div class="table-wrap"><table data-testid="audit-table">
        <thead><tr><th>When</th><th>User</th><th>What</th><th class="wide">Request</th><th>Status</th></tr></thead>
        <tbody>{all.map((e) => (<>
          <tr key={e.id} onClick={() => setOpen(open === e.id ? '' : e.id)} class={e.status >= 400 ? 'failed' : ''}>
            <td title={e.at}>{fmtTime(e.at)}</td><td>{e.user} <small class="muted">{e.ip}</small></td><td>{e.action}</td>
            <td class="wide mono">{e.method} {e.path}</td><td>{e.status}</td>
          </tr>
          {open === e.id && <tr key={`${e.id}-d`}><td colSpan={5} class="audit-detail">
            {e.before !== undefined && <><h3>Before</h3><Json value={e.before} /></>}
            {e.request !== undefined && <><h3>Request</h3><Json value={e.request} /></>}
            {e.after !== undefined && <><h3>After</h3><Json value={e.after} /></>}
          </td></tr>}
        </>))}</tbody>
      </table></div>
      {more && entries.length > 0 && <button type="button" onClick={() => void load(entries[entries.length - 1].id)}>Older entries</button>}
    </Page>
  );
}
