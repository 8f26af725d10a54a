// The device table at any fleet size (issue 17 §1): the server searches, filters, sorts and pages; the page
// asks for the 50 rows it shows and follows live events: the newest-first first page is asked again as
// printers announce; on other pages rows are patched in place and new devices only counted.
import { useEffect, useRef, useState } from 'preact/hooks';
import { csrf, type Query } from '../api.ts';
import { onEvents, reconnects } from '../live.ts';
import { useBox } from '../store.ts';
import { complianceOf, foundLabel, policyOf, tooOften, type DeviceRow } from '../device.ts';
import { Badge, Page, Pager, useCursor, useDebounced, useRoute, When, ErrorText } from '../ui.tsx';
import { BulkActions } from './bulk-actions.tsx';

type SortKey = 'serial' | 'model' | 'mac' | 'ip' | 'hostname' | 'lastSeen' | 'policy' | 'compliance';
const COLS: { key: string; sort?: SortKey; label: string; cls?: string }[] = [
  { key: 'serial', sort: 'serial', label: 'Serial' },
  { key: 'by', label: 'Found by', cls: 'wide' },
  { key: 'model', sort: 'model', label: 'Model', cls: 'wide' },
  { key: 'mac', sort: 'mac', label: 'MAC', cls: 'wider' },
  { key: 'ip', sort: 'ip', label: 'IP', cls: 'wide' },
  { key: 'host', sort: 'hostname', label: 'Host name', cls: 'wider' },
  { key: 'seen', sort: 'lastSeen', label: 'Last seen' },
  { key: 'policy', sort: 'policy', label: 'Last policy', cls: 'wide' },
  { key: 'compliance', sort: 'compliance', label: 'Compliance' },
];
const STATUSES = ['compliant', 'remediated', 'non-compliant', 'unsupported', 'unreachable', 'auth-failed', 'not-assessed'] as const;
const PAGE = 50;

/** A device event carries the whole record; a list row shows its assessment summed up. */
function asRow(d: DeviceRow, next: import('../live.ts').DeviceEvent['device']): DeviceRow {
  const { compliance, ...rest } = next;
  return { ...d, ...rest, compliance: compliance && (({ settings, ...c }) => ({ ...c, nonCompliant: settings.filter((x) => !x.compliant).map((x) => x.id), changed: settings.filter((x) => x.changed).length }))(compliance) };
}

export function Devices() {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const [foundBy, setFoundBy] = useState('');
  const [status, setStatus] = useState('');
  const [retired, setRetired] = useState('include');
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'lastSeen', dir: 'desc' });
  const pager = useCursor([q, foundBy, status, retired, sort.key, sort.dir]);
  const query: Query = { limit: PAGE, q, foundBy, compliance: status, retired, sort: sort.key, dir: sort.dir, cursor: pager.cursor };
  const list = useRoute('GET /api/v1/devices', { query });
  const [rows, setRows] = useState<DeviceRow[]>([]);
  const [arrived, setArrived] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => { if (list.data) { setRows(list.data.devices); setArrived(0); } }, [list.data]);
  const again = useBox(reconnects);
  useEffect(() => { if (again > 1) void list.reload(); }, [again]);
  // Live. On the first page of "last seen, newest first" the page is asked again (at most once a second):
  // that order is what arrives, so printers booting appear at the top as they announce. Elsewhere rows on
  // the page are patched in place, and new devices are only counted: a row never jumps under the reader.
  const follows = pager.page === 1 && sort.key === 'lastSeen' && sort.dir === 'desc';
  const mode = useRef({ follows, reload: list.reload });
  mode.current = { follows, reload: list.reload };
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => onEvents('device', (batch) => {
    if (mode.current.follows) {
      timer.current ??= window.setTimeout(() => { timer.current = undefined; void mode.current.reload(); }, 1000);
      return;
    }
    const latest = new Map(batch.map((e) => [e.device.serialNumber, e]));
    setRows((cur) => cur.map((d) => { const e = latest.get(d.serialNumber); return e ? asRow(d, e.device) : d; }));
    const fresh = batch.filter((e) => e.type === 'discovered').length;
    if (fresh) setArrived((n) => n + fresh);
  }), []);
  useEffect(() => onEvents('device-removed', (batch) => {
    const gone = new Set(batch.map((e) => e.serialNumber));
    setRows((cur) => cur.filter((d) => !gone.has(d.serialNumber)));
  }), []);

  const toggle = (serial: string) => { const next = new Set(selected); if (next.has(serial)) next.delete(serial); else next.add(serial); setSelected(next); };
  const th = (c: (typeof COLS)[number]) => (
    <th key={c.key} class={c.cls} scope="col" aria-sort={c.sort && sort.key === c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      {c.sort ? <button type="button" class="th" onClick={() => setSort({ key: c.sort!, dir: sort.key === c.sort ? (sort.dir === 'asc' ? 'desc' : 'asc') : c.sort === 'lastSeen' ? 'desc' : 'asc' })}>
        {c.label}{sort.key === c.sort ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</button> : c.label}
    </th>
  );
  const data = list.data;
  const open = (serial: string) => { location.hash = `#/devices/${encodeURIComponent(serial)}`; };
  const exportQuery = new URLSearchParams({ csrf: csrf() }).toString();

  return (
    <Page title={<>Devices <small class="muted" data-testid="device-total">({(data?.total ?? 0).toLocaleString()})</small></>}
      actions={<a class="button" href={`/api/v1/devices.csv?${exportQuery}`} download data-testid="export-csv">Export CSV</a>}>
      <div class="filters" role="search">
        <input type="search" placeholder="Search: serial, model, IP, host, MAC…" aria-label="Search devices" value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="device-search" />
        <select aria-label="Found by" value={foundBy} onChange={(e) => setFoundBy(e.currentTarget.value)}>
          <option value="">Found any way</option><option value="announcement">Instant-On</option><option value="discovery">Discovery</option><option value="manual">Manual</option>
        </select>
        <select aria-label="Compliance" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">All compliance</option>{STATUSES.map((s) => <option key={s} value={s}>{s.replace('-', ' ')}</option>)}
        </select>
        <select aria-label="Retired devices" value={retired} onChange={(e) => setRetired(e.currentTarget.value)}>
          <option value="include">With retired devices</option><option value="exclude">In service only</option><option value="only">Retired only</option>
        </select>
      </div>
      <BulkActions selected={[...selected]} clear={() => setSelected(new Set())} />
      {arrived > 0 && <p class="notice info" role="status">{arrived} new device{arrived === 1 ? '' : 's'} since this page was loaded. <button type="button" class="small" onClick={() => { pager.first(); void list.reload(); }}>Show</button></p>}
      <ErrorText error={list.error} />
      {!data ? <p class="muted">Loading…</p> : rows.length === 0 ? <p class="muted">{data.total ? 'No device matches the search.' : 'No device has announced yet. Printers find this appliance as hp-print-mgmt and announce to it over TCP (see Instant-On for the port).'}</p> : (
        <div class="table-wrap">
          <table class="devices" data-testid="devices-table" aria-busy={list.loading}>
            <caption class="sr-only">Devices, sorted by {COLS.find((c) => c.sort === sort.key)?.label} ({sort.dir === 'asc' ? 'ascending' : 'descending'})</caption>
            <thead><tr><th scope="col"><input type="checkbox" aria-label="Select all shown" checked={rows.every((d) => selected.has(d.serialNumber))}
              onChange={(e) => setSelected(e.currentTarget.checked ? new Set([...selected, ...rows.map((d) => d.serialNumber)]) : new Set())} /></th>{COLS.map(th)}</tr></thead>
            <tbody>
              {rows.map((d) => {
                const flood = tooOften(d);
                return (
                  <tr key={d.serialNumber} data-serial={d.serialNumber} class="clickable" onClick={() => open(d.serialNumber)}>
                    <td onClick={(e) => e.stopPropagation()}><input type="checkbox" aria-label={`Select ${d.serialNumber}`} checked={selected.has(d.serialNumber)} onChange={() => toggle(d.serialNumber)} /></td>
                    <td><a href={`#/devices/${encodeURIComponent(d.serialNumber)}`}>{d.serialNumber}</a>{d.retired && <span class="badge muted" title={`retired ${d.retired.at} by ${d.retired.by}`}>retired</span>}{flood && <span class="badge warn" title={`${flood.lastHour} announcements in the last hour`}>too often</span>}</td>
                    <td class="wide">{foundLabel(d)}</td>
                    <td class="wide">{d.vendor === 'other' ? `${d.model} (not HP)` : d.model}</td>
                    <td class="wider mono">{d.macAddress}</td>
                    <td class="wide mono">{d.ipv4 ?? d.ipv6?.[0] ?? ''}</td>
                    <td class="wider">{d.hostname ?? ''}</td>
                    <td><When at={d.lastSeen} /> <small class="muted">{d.lastReason}</small></td>
                    <td class="wide">{policyOf(d)}</td>
                    <td><Badge status={complianceOf(d)} title={d.compliance?.credentialProblem} />{d.compliance?.credentialProblem && <span class="badge warn" title={d.compliance.credentialProblem}>credential</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager what="devices" page={pager.page} hasPrev={pager.page > 1} nextCursor={data.nextCursor} onPrev={pager.prev} onNext={pager.next} shown={rows.length} matched={data.matched} />
        </div>
      )}
    </Page>
  );
}
