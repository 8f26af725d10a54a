// Bulk actions on the devices selected in the table (issue 16 §7): assess or remediate with a policy,
// retire, reinstate, delete (with a confirmation naming how many), add to a manual group when groups exist.
import { useState } from 'preact/hooks';
import { call, type Body } from '../api.ts';
import { Done, ErrorText, useAction, useRoute } from '../ui.tsx';

export function BulkActions(p: { selected: string[]; clear: () => void }) {
  const policies = useRoute('GET /api/v1/policies');
  const groups = useRoute('GET /api/v1/groups');
  const [policyId, setPolicyId] = useState('');
  const [groupId, setGroupId] = useState('');
  const a = useAction();
  const n = p.selected.length;
  const manual = (groups.data?.groups ?? []).filter((g) => g.kind === 'manual');
  type Action = Body<'POST /api/v1/devices/bulk'>['action'];
  const run = (action: Action, extra: Partial<Body<'POST /api/v1/devices/bulk'>> = {}, confirmText?: string) => {
    if (confirmText && !confirm(confirmText)) return;
    void a.run(async () => {
      const r = await call('POST /api/v1/devices/bulk', { body: { action, serials: p.selected, ...extra } });
      const skipped = Object.entries(r.skipped);
      if (action === 'delete' || action === 'retire' || action === 'reinstate') p.clear();
      return `${action}: ${r.done.length} done${r.taskId ? ` (task ${r.taskId})` : ''}${skipped.length ? `; skipped ${skipped.slice(0, 5).map(([s, why]) => `${s} (${why})`).join(', ')}${skipped.length > 5 ? ` and ${skipped.length - 5} more` : ''}` : ''}.`;
    });
  };
  if (!n) return <Done text={a.done} />;
  const pol = policyId || policies.data?.policies[0]?.id || '';
  return (
    <div class="card bulk" data-testid="bulk-actions">
      <div class="row">
        <strong>{n} selected</strong>
        <select aria-label="Policy for bulk actions" value={pol} onChange={(e) => setPolicyId(e.currentTarget.value)}>
          {(policies.data?.policies ?? []).map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select>
        <button type="button" disabled={a.busy || !pol} onClick={() => run('assess', { policyId: pol })}>Assess</button>
        <button type="button" disabled={a.busy || !pol} onClick={() => run('remediate', { policyId: pol })}>Remediate</button>
        <button type="button" disabled={a.busy} onClick={() => run('retire')}>Retire</button>
        <button type="button" disabled={a.busy} onClick={() => run('reinstate')}>Reinstate</button>
        {manual.length > 0 && <>
          <select aria-label="Group" value={groupId || manual[0].id} onChange={(e) => setGroupId(e.currentTarget.value)}>
            {manual.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
          </select>
          <button type="button" disabled={a.busy} onClick={() => run('add-to-group', { groupId: groupId || manual[0].id })}>Add to group</button>
        </>}
        <button type="button" class="danger" disabled={a.busy} onClick={() => run('delete', {}, `Delete ${n} device(s) with their history? A deleted printer that announces again comes back as a new device.`)}>Delete</button>
        <button type="button" class="small" onClick={p.clear}>Clear selection</button>
      </div>
      <ErrorText error={a.error} /><Done text={a.done} />
    </div>
  );
}
