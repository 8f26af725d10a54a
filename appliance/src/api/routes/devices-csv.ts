// GET /api/v1/devices.csv: the device list with compliance, for spreadsheets (RFC 4180, UTF-8 with BOM so
// Excel reads names right). Cells that a spreadsheet would run as a formula are neutralised.
import { Readable } from 'node:stream';
import type Router from '@koa/router';
import type { AppServices } from '../services.ts';
import { csvCell } from '../../util/csv.ts';

const COLUMNS: [string, (d: any) => unknown][] = [
  ['serialNumber', (d) => d.serialNumber],
  ['discoveredBy', (d) => d.discoveredBy],
  ['foundBy', (d) => Object.keys(d.foundBy ?? {}).join(' ')],
  ['vendor', (d) => d.vendor ?? 'hp'],
  ['model', (d) => d.model],
  ['macAddress', (d) => d.macAddress],
  ['ipv4', (d) => d.ipv4],
  ['hostname', (d) => d.hostname],
  ['firmware', (d) => d.firmware],
  ['firstSeen', (d) => d.firstSeen],
  ['lastSeen', (d) => d.lastSeen],
  ['lastReason', (d) => d.lastReason],
  ['announceCount', (d) => d.announceCount],
  ['authMethod', (d) => d.authMethod],
  ['lastPolicy', (d) => policyName(d.lastPolicy)],
  ['compliance', (d) => complianceStatus(d)],
  ['lastAssessedAt', (d) => d.compliance?.at ?? d.lastAssessment?.at ?? d.compliance?.assessedAt],
];

// The compliance fields come from the compliance room; read them defensively (string or object).
function complianceStatus(d: any): string {
  const c = d.compliance ?? d.lastAssessment;
  if (!c) return 'not assessed';
  return typeof c === 'string' ? c : String(c.status ?? 'unknown');
}

function policyName(p: unknown): unknown {
  if (!p || typeof p !== 'object') return p;
  const o = p as Record<string, unknown>;
  return o.name ?? o.id;
}

// Cells a spreadsheet would run as a formula are neutralised (util/csv.ts, shared with the report CSVs).
export { csvCell };

/** Rows per piece: a few milliseconds of work each, so the event loop and the socket get turns in between. */
const CHUNK_ROWS = 500;

/** The CSV in pieces: 10,000 devices are ~2 MB of text, never held whole (with its copies) in memory. */
export function* devicesCsvChunks(devices: unknown[]): Generator<string> {
  yield `\ufeff${COLUMNS.map(([h]) => h).join(',')}\r\n`;
  for (let i = 0; i < devices.length; i += CHUNK_ROWS) {
    let piece = '';
    for (const d of devices.slice(i, i + CHUNK_ROWS)) piece += `${COLUMNS.map(([, get]) => csvCell(get(d))).join(',')}\r\n`;
    yield piece;
  }
}

export function devicesCsv(devices: unknown[]): string {
  return [...devicesCsvChunks(devices)].join('');
}

export function devicesCsvRoute(router: Router, s: AppServices) {
  router.get('/api/v1/devices.csv', (ctx) => {
    // Serials are ASCII: a plain comparison orders them as the device list does, without ICU collation.
    const devices = s.registry.list().sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0));
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="devices-${new Date().toISOString().slice(0, 10)}.csv"`);
    ctx.body = Readable.from(devicesCsvChunks(devices), { objectMode: false });
  });
}
