// Alerts: what is open (grouped by kind, one kind expanded), resolving one by hand, who gets e-mail for which
// kinds, and whether the mail server and the syslog collectors are taking what is sent to them.
import { useEffect, useState } from 'preact/hooks';
import { call, type Answer } from '../api.ts';
import { useBox } from '../store.ts';
import { alertTick } from '../live.ts';
import { Card, Done, ErrorText, Loaded, Page, timeAgo, useAction, useRoute, When } from '../ui.tsx';
import { AlertLines } from './dashboard.tsx';

type KindInfo = Answer<'GET /api/v1/alerts/kinds'>['kinds'][number];
type Subscription = Answer<'GET /api/v1/alerts/subscriptions'>['subscriptions'][number];

function OpenAlerts(p: { kind?: string }) {
  const tick = useBox(alertTick);
  const q = useRoute('GET /api/v1/alerts', { query: { state: 'open', limit: 200, kind: p.kind } }, [tick]);
  const a = useAction();
  const resolve = (id: string) => void a.run(async () => { await call('POST /api/v1/alerts/:id/resolve', { params: { id } }); await q.reload(); return 'Resolved.'; });
  return (
    <Loaded q={q} what="alerts">{(d) => (
      <>
        <AlertLines kinds={d.summary} />
        {p.kind && <p><a href="#/alerts">All kinds</a></p>}
        <div class="table-wrap"><table data-testid="open-alerts">
          <thead><tr><th scope="col">Alert</th><th scope="col">Raised</th><th scope="col">Seen</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>{d.alerts.map((x) => (
            <tr key={x.id} class={x.severity === 'warning' ? 'warn' : 'bad'}>
              <td><strong>{x.title}</strong> · {x.key}<div class="help">{x.message}</div></td>
              <td><When at={x.raisedAt} /></td>
              <td>{x.occurrences > 1 ? `${x.occurrences}× · ` : ''}<When at={x.lastSeenAt} /></td>
              <td><button type="button" class="small" onClick={() => resolve(x.id)} disabled={a.busy} aria-label={`Resolve ${x.title} ${x.key}`}>Resolve</button></td>
            </tr>))}</tbody>
        </table></div>
        <ErrorText error={a.error} />
      </>
    )}</Loaded>
  );
}

function Subscriptions(p: { kinds: KindInfo[] }) {
  const q = useRoute('GET /api/v1/alerts/subscriptions');
  const [draft, setDraft] = useState<Subscription[] | null>(null);
  useEffect(() => { if (q.data) setDraft(q.data.subscriptions); }, [q.data]);
  const a = useAction();
  const list = draft ?? [];
  const set = (i: number, s: Subscription) => setDraft(list.map((x, j) => (j === i ? s : x)));
  const toggle = (i: number, kind: Subscription['kinds'][number]) => {
    const s = list[i];
    const kinds = s.kinds.includes(kind) ? s.kinds.filter((k) => k !== kind) : [...s.kinds.filter((k) => k !== '*'), kind];
    set(i, { ...s, kinds: kind === '*' ? (s.kinds.includes('*') ? [] : ['*']) : kinds });
  };
  const save = (e: Event) => {
    e.preventDefault();
    void a.run(async () => { const r = await call('PUT /api/v1/alerts/subscriptions', { body: { subscriptions: list } }); setDraft(r.subscriptions); return 'Saved.'; });
  };
  const mailable = p.kinds.filter((k) => k.mail);
  return (
    <form onSubmit={save} data-testid="subscriptions">
      {list.length === 0 && <p class="muted">Nobody gets alert e-mail yet.</p>}
      {list.map((s, i) => (
        <fieldset key={i} class="subscription">
          <input type="email" aria-label={`recipient ${i + 1}`} value={s.email} placeholder="name@example.org" onInput={(e) => set(i, { ...s, email: e.currentTarget.value })} />
          <label><input type="checkbox" checked={s.kinds.includes('*')} onChange={() => toggle(i, '*')} /> every kind</label>
          {!s.kinds.includes('*') && mailable.map((k) => (
            <label key={k.kind} title={k.help}><input type="checkbox" checked={s.kinds.includes(k.kind)} onChange={() => toggle(i, k.kind)} /> {k.title}</label>))}
          <button type="button" class="small" onClick={() => setDraft(list.filter((_, j) => j !== i))}>Remove</button>
        </fieldset>))}
      <button type="button" onClick={() => setDraft([...list, { email: '', kinds: ['*'] }])}>Add recipient</button>
      <ErrorText error={a.error} /><Done text={a.done} />
      <button type="submit" class="primary" disabled={a.busy || !draft}>Save subscriptions</button>
    </form>
  );
}

function Delivery() {
  const tick = useBox(alertTick);
  const mail = useRoute('GET /api/v1/alerts/mail', {}, [tick]);
  const syslog = useRoute('GET /api/v1/syslog', {}, [tick]);
  const [to, setTo] = useState('');
  const a = useAction();
  const test = (e: Event) => { e.preventDefault(); void a.run(async () => { await call('POST /api/v1/alerts/mail/test', { body: { to } }); return `The mail server took a test message for ${to}.`; }); };
  const flush = () => void a.run(async () => { mail.setData(await call('POST /api/v1/alerts/mail/flush')); return 'Queue sent.'; });
  return (
    <>
      <Loaded q={mail} what="alert e-mail">{(m) => (
        <div data-testid="mail-status">
          <p>{m.configured ? <>Mail: <strong>{m.state}</strong> · {m.queued} queued · {m.sent} sent{m.lastSuccessAt ? ` · last ${timeAgo(m.lastSuccessAt)}` : ''}</> : <>Mail is off: set <a href="#/settings">smtpHost</a> and the other smtp settings.</>}</p>
          {m.lastError && <p class="notice bad" data-testid="mail-error">{m.lastError}{m.nextAttemptAt ? ` — next try ${new Date(m.nextAttemptAt).toLocaleTimeString(undefined, { timeStyle: 'short' })} (${Intl.DateTimeFormat().resolvedOptions().timeZone})` : ''}</p>}
          {m.dropped > 0 && <p class="notice warn">{m.dropped} alert change(s) did not fit in the queue.</p>}
          <form onSubmit={test} class="inline">
            <input type="email" aria-label="test recipient" placeholder="send a test to…" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
            <button type="submit" disabled={a.busy || !to || !m.configured}>Send test</button>
            <button type="button" onClick={flush} disabled={a.busy || !m.queued}>Send queued now</button>
          </form>
        </div>
      )}</Loaded>
      <Loaded q={syslog} what="syslog">{(s) => (
        s.targets.length === 0 ? <p class="muted">Syslog is off: set <a href="#/settings">syslogTargets</a> (udp://, tcp:// or tls://host:port).</p> : (
          <ul class="plain" data-testid="syslog-status">{s.targets.map((t) => (
            <li key={t.target}><strong>{t.target}</strong> <span class="muted">{t.state} · {t.sent} sent · {t.queued} queued{t.dropped ? ` · ${t.dropped} dropped` : ''}</span>
              {t.lastError && <div class="notice bad">{t.lastError}</div>}</li>))}</ul>)
      )}</Loaded>
      <ErrorText error={a.error} /><Done text={a.done} />
    </>
  );
}

export function Alerts(p: { kind?: string }) {
  const kinds = useRoute('GET /api/v1/alerts/kinds');
  return (
    <Page title="Alerts">
      <Card title="Open"><OpenAlerts kind={p.kind} /></Card>
      <Card title="E-mail subscriptions">{kinds.data ? <Subscriptions kinds={kinds.data.kinds} /> : <p class="muted">…</p>}</Card>
      <Card title="Delivery"><Delivery /></Card>
    </Page>
  );
}
