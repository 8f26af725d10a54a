// The device table: sortable, filterable, live; CSV export.
import { useMemo, useState } from 'preact/hooks';
import { csrf } from '../api.ts';
import { useBox } from '../store.ts';
import { devices, devicesLoaded, type Device } from '../live.ts';
import { complianceOf, foundLabel, policyOf, tooOften } from '../device.ts';
import { Badge, Page, timeAgo } from '../ui.tsx';
import { BulkActions } from './bulk-actions.tsx';

type Col = { key: string; label: string; get: (d: Device) => string; cls?: string };
const COLS: Col[] = [
  { key: 'serial', label: 'Serial', get: (d) => d.serialNumber },
  { key: 'by', label: 'Found by', get: foundLabel, cls: 'wide' },
  { key: 'model', label: 'Model', get: (d) => (d.vendor === 'other' ? `${d.model} (not HP)` : d.model), cls: 'wide' },
  { key: 'mac', label: 'MAC', get: (d) => d.macAddress, cls: 'wider' },
  { key: 'ip', label: 'IP', get: (d) => d.ipv4 ?? d.ipv6?.[0] ?? '', cls: 'wide' },
  { key: 'host', label: 'Host name', get: (d) => d.hostname ?? '', cls: 'wider' },
  { key: 'seen', label: 'Last seen', get: (d) => d.lastSeen },
  { key: 'policy', label: 'Last policy', get: policyOf, cls: 'wide' },
  { key: 'compliance', label: 'Compliance', get: complianceOf },
];
const PAGE = 200;

export function Devices() {
  const map = useBox(devices);
  const loaded = useBox(devicesLoaded);
  const [filter, setFilter] = useState('');
  const [by, setBy] = useState('');
  const [status, setStatus] = useState('');
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 }>({ key: 'seen', dir: -1 });
  const [shown, setShown] = useState(PAGE);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (serial: string) => { const next = new Set(selected); if (next.has(serial)) next.delete(serial); else next.add(serial); setSelected(next); };

  const rows = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const col = COLS.find((c) => c.key === sort.key)!;
    return [...map.values()]
      .filter((d) => !by || Boolean(d.foundBy?.[by] ?? (by === 'announcement' && !d.foundBy)))
      .filter((d) => !status || complianceOf(d) === status)
      .filter((d) => { const text = COLS.map((c) => c.get(d)).join(' ').toLowerCase(); return words.every((w) => text.includes(w)); })
      .sort((a, b) => col.get(a).localeCompare(col.get(b), undefined, { numeric: true }) * sort.dir);
  }, [map, filter, by, status, sort]);

  const statuses = [...new Set([...map.values()].map(complianceOf))].sort();
  const th = (c: Col) => (
    <th key={c.key} class={c.cls} aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}>
      <button type="button" class="th" onClick={() => setSort({ key: c.key, dir: sort.key === c.key ? (-sort.dir as 1 | -1) : 1 })}>
        {c.label}{sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</button>
    </th>
  );

  return (
    <Page title={`Devices (${map.size})`} actions={<a class="button" href={`/api/v1/devices.csv?csrf=${encodeURIComponent(csrf())}`} download data-testid="export-csv">Export CSV</a>}>
      <div class="filters">
        <input type="search" placeholder="Filter: serial, model, IP, host…" aria-label="Filter devices" value={filter} onInput={(e) => { setFilter(e.currentTarget.value); setShown(PAGE); }} />
        <select aria-label="Discovery" value={by} onChange={(e) => setBy(e.currentTarget.value)}>
          <option value="">Found any way</option><option value="announcement">Instant-On</option><option value="discovery">Discovery</option><option value="manual">Manual</option>
        </select>
        <select aria-label="Compliance" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">All compliance</option>{statuses.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      <BulkActions selected={[...selected].filter((x) => map.has(x))} clear={() => setSelected(new Set())} />
      {!loaded ? <p class="muted">Loading…</p> : rows.length === 0 ? <p class="muted">{map.size ? 'No device matches the filter.' : 'No device has announced yet. Printers find this appliance as hp-print-mgmt and announce on TCP 3329.'}</p> : (
        <div class="table-wrap">
          <table class="devices" data-testid="devices-table">
            <thead><tr><th><input type="checkbox" aria-label="Select all shown" checked={rows.length > 0 && rows.slice(0, shown).every((d) => selected.has(d.serialNumber))}
              onChange={(e) => setSelected(e.currentTarget.checked ? new Set([...selected, ...rows.slice(0, shown).map((d) => d.serialNumber)]) : new Set())} /></th>{COLS.map(th)}</tr></thead>
            <tbody>
              {rows.slice(0, shown).map((d) => {
                const flood = tooOften(d);
                return (
                  <tr key={d.serialNumber} data-serial={d.serialNumber} onClick={() => { location.hash = `#/devices/${encodeURIComponent(d.serialNumber)}`; }}>
                    <td onClick={(e) => e.stopPropagation()}><input type="checkbox" aria-label={`Select ${d.serialNumber}`} checked={selected.has(d.serialNumber)} onChange={() => toggle(d.serialNumber)} /></td>
                    <td><a href={`#/devices/${encodeURIComponent(d.serialNumber)}`}>{d.serialNumber}</a>{d.retired && <span class="badge muted" title={`retired ${d.retired.at} by ${d.retired.by}`}>retired</span>}{flood && <span class="badge warn" title={`${flood.lastHour} announcements in the last hour`}>too often</span>}</td>
                    <td class="wide">{COLS[1].get(d)}</td>
                    <td class="wide">{d.model}</td>
                    <td class="wider mono">{d.macAddress}</td>
                    <td class="wide mono">{COLS[4].get(d)}</td>
                    <td class="wider">{d.hostname ?? ''}</td>
                    <td title={d.lastSeen}>{timeAgo(d.lastSeen)} <small class="muted">{d.lastReason}</small></td>
                    <td class="wide">{policyOf(d)}</td>
                    <td><Badge status={complianceOf(d)} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows.length > shown && <button type="button" onClick={() => setShown(shown + PAGE)}>Show {Math.min(PAGE, rows.length - shown)} more of {rows.length - shown}</button>}
        </div>
      )}
    </Page>
  );
}
