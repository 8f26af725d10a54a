// Operations at branch scale (issue 16): 10,000 devices with a month of compliance journal and a year of
// hourly history in a real LevelDB store; time and peak RSS of the compliance report (JSON, PDF, CSV), a
// backup with devices and history, and a restore's full check. Each is printed against the plain read of
// the same records from the store (the bound: nothing can be faster than reading what it reports on).
//
//   node --expose-gc --import=tsx scripts/bench/operations.ts [--devices 10000] [--days 30]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Store } from '../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../appliance/src/devices/registry.ts';
import { PolicyRepo } from '../../appliance/src/policy/policy-repo.ts';
import { ComplianceJournal, ComplianceReports } from '../../appliance/src/reports/index.ts';
import { createBackup, planRestore } from '../../appliance/src/backup/index.ts';
import { loadOrCreateKey, secretBox } from '../../appliance/src/snmp/secret-box.ts';
import { createSelfSignedIdentity } from '../../appliance/src/pki/identity.ts';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '10000' }, days: { type: 'string', default: '30' } } });
const N = Number(values.devices);
const DAYS = Number(values.days);
const dir = mkdtempSync(join(tmpdir(), 'ioe-bench-ops-'));
let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;

async function timed<T>(what: string, fn: () => Promise<T>, bound?: number): Promise<{ ms: number; value: T }> {
  (globalThis as { gc?: () => void }).gc?.();
  peak = process.memoryUsage().rss;
  const base = peak;
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  console.log(`${what.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms${bound ? `  (${(ms / bound).toFixed(1)}× the plain read)` : ''}  peak RSS ${mb(peak)} (+${mb(peak - base)})`);
  return { ms, value };
}

try {
  const store = await Store.open({ dir: join(dir, 'db') });
  const registry = new DeviceRegistry(store, () => 50);
  const policies = new PolicyRepo(store);
  const policy = await policies.create({ name: 'Branch baseline', settings: { telnet: false, 'ftp-printing': false } } as any);
  const journal = new ComplianceJournal(store);
  const now = Date.now();
  // Devices, then a month of results: each device remediated once, re-assessed daily (one journal entry a day).
  for (let i = 0; i < N; i += 1000) {
    const ops: any[] = [];
    for (let j = i; j < Math.min(N, i + 1000); j++) {
      const serial = `CN${String(j).padStart(8, '0')}`;
      ops.push({ type: 'put', sublevel: store.sub('devices'), key: serial, value: { serialNumber: serial, macAddress: '02:00:00:00:00:00', model: 'HP LaserJet Enterprise M611dn', ipv4: `10.${j >> 16 & 255}.${j >> 8 & 255}.${j & 255}`,
        snmpPort: 161, discoveredBy: 'instant-on', foundBy: {}, firstSeen: new Date(now - DAYS * 86400_000).toISOString(), lastSeen: new Date(now).toISOString(), peerAddress: '10.0.0.1', announceCount: 1, historySeq: 0 } });
      for (let d = DAYS; d > 0; d--) {
        const at = new Date(now - d * 86400_000 + j).toISOString();
        const first = d === DAYS;
        ops.push({ type: 'put', sublevel: store.sub('assessments'), key: `j!${at}!${serial}!${policy.id}`, value: { at, serial, policyId: policy.id, policyName: policy.name,
          status: first ? 'remediated' : 'compliant', taskId: 't', remediate: true, ...(first ? { changed: [{ id: 'telnet', from: true, to: false }] } : {}) } });
      }
    }
    await store.commit(ops);
  }
  const hours: any[] = [];
  for (let h = 0; h < 366 * 24; h++) hours.push({ type: 'put', sublevel: store.sub('counters'), key: new Date(now - h * 3600_000).toISOString().slice(0, 13), value: { accepted: 30, rejected: {}, compliance: { compliant: N }, devices: N } });
  await store.commit(hours);
  await registry.load();
  await journal.load();
  const reports = new ComplianceReports({ journal, registry, policies, meta: () => ({ appliance: 'bench', version: 'bench' }) });
  console.log(`${N} devices, ${N * DAYS} journal entries, ${hours.length} hourly records; node ${process.version}`);

  const q = { from: new Date(now - (DAYS + 1) * 86400_000).toISOString(), to: new Date(now).toISOString() };
  const plain = await timed('plain read of the period\'s journal', async () => { let n = 0; for await (const _ of journal.entries(q.from, q.to)) n++; return n; });
  await timed('report (JSON)', () => reports.build(q), plain.ms);
  const pdf = await timed('report (PDF, 5,000 device rows, 2,000 changes)', () => reports.pdf(q), plain.ms);
  console.log(`  PDF ${mb(pdf.value.length)}`);
  await timed('report (CSV, every device)', async () => { let bytes = 0; for await (const c of await reports.csv(q, 'devices')) bytes += c.length; return bytes; }, plain.ms);
  const key = await loadOrCreateKey(dir);
  const identity = createSelfSignedIdentity();
  const backup = await timed('backup with devices and history', () => createBackup({ store, identity: () => identity, secretKey: key, appVersion: 'bench', listenerId: () => 'bench' },
    { passphrase: 'a bench passphrase', devices: true }));
  console.log(`  archive ${mb(backup.value.archive.length)}`);
  const target = await Store.open({ dir: join(dir, 'db2') });
  const plan = await timed('restore: full check of that archive', () => planRestore(backup.value.archive, 'a bench passphrase', { store: target, box: secretBox(key), appVersion: 'bench' }));
  console.log(`  ${plan.value.ops.length} records checked`);
  await timed('restore: one batch into an empty store', () => target.commit(plan.value.ops));
  await target.close();
  await store.close();
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
