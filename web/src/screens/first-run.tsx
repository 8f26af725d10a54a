// The first run as a guided path (issue 17 §4): after the password, a short checklist — policy, automatic
// remediation, DNS, the firewall port (the one the appliance really listens on), a first assessment — each
// ticked by the appliance when it sees that step work (GET /api/v1/setup), not by the admin.
import { useEffect, useState } from 'preact/hooks';
import { useBox } from '../store.ts';
import { deviceTick } from '../live.ts';
import { Card, useRoute, When } from '../ui.tsx';

const HIDDEN = 'ioe-first-run-hidden';

export function FirstRun() {
  const q = useRoute('GET /api/v1/setup');
  const tick = useBox(deviceTick);
  const [hidden, setHidden] = useState(() => localStorage.getItem(HIDDEN) === '1');
  // Steps tick as things happen: a device announcing or being assessed, and the DNS check now and then.
  useEffect(() => { if (!tick.n) return; const t = setTimeout(() => void q.reload(), 1500); return () => clearTimeout(t); }, [tick.n]);
  useEffect(() => { const t = setInterval(() => void q.reload(), 20_000); return () => clearInterval(t); }, [q.reload]);
  const d = q.data;
  if (!d || hidden || d.done) return null;
  const left = d.steps.filter((x) => !x.done).length;
  return (
    <Card title={`Getting started: ${left} step${left === 1 ? '' : 's'} left`} class="first-run" testid="first-run">
      <ol class="checklist">{d.steps.map((x) => (
        <li key={x.id} class={x.done ? 'done' : ''} data-step={x.id} data-done={x.done ? 'yes' : 'no'}>
          <span class="tick" aria-hidden="true">{x.done ? '✓' : '○'}</span>
          <span><a href={x.href}>{x.title}</a> <span class="sr-only">{x.done ? '(done)' : '(not done yet)'}</span><br /><small class="muted">{x.detail}{x.at && <>, the last <When at={x.at} /></>}</small></span>
        </li>))}</ol>
      <button type="button" class="small" onClick={() => { localStorage.setItem(HIDDEN, '1'); setHidden(true); }}>Hide this list</button>
    </Card>
  );
}
