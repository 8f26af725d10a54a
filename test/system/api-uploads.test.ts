// Every input bounded (issue 12 §2), against a real appliance process: a serial-number list of a million bad
// lines, six 10 MB lists uploaded at once, a list over the limit, JSON bodies over their route's limit. The
// answers stay small (counts plus the first 100 problems), the process stays up, and its resident memory
// (read from /proc for the child) grows by less than 50 MB.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, login, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { freePort } from '../fakes/ports.ts';

const root = new URL('../../', import.meta.url).pathname;
const MB = 1024 * 1024;

function startChild(dataDir: string, wp: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // The heap flags of `npm start`, so the collector behaves as on the appliance.
    const child = spawn(process.execPath, ['--max-semi-space-size=2', '--max-old-space-size=256', '--import=tsx', join(root, 'appliance/src/cli.ts'), 'serve',
      '--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', '0', '--web-port', String(wp), '--dns-port', '0'],
    { env: { ...process.env, INSTANT_ON_ADMIN_PASSWORD: ADMIN_PASSWORD, INSTANT_ON_LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not ready: ${out.slice(-1500)}`)), 60_000);
    child.stdout!.on('data', (c) => { out = (out + c).slice(-20_000); if (out.includes('admin page and API ready')) { clearTimeout(timer); resolve(child); } });
    child.stderr!.on('data', (c) => { out = (out + c).slice(-20_000); });
    child.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`exited ${code ?? sig}: ${out.slice(-1500)}`)); });
  });
}

/** VmRSS / VmHWM of a process, in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Measures the peak RSS of `pid` while `work` runs: the kernel's peak counter is reset first (clear_refs 5),
 * and /proc is also sampled every 25 ms in case the reset is not allowed.
 */
async function peakDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  let resetOk = true;
  try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); } catch { resetOk = false; }
  const before = memoryOf(pid).rss;
  let sampled = before;
  const timer = setInterval(() => { try { sampled = Math.max(sampled, memoryOf(pid).rss); } catch { /* exited */ } }, 25);
  try {
    const result = await work();
    const after = memoryOf(pid);
    return { result, before, peak: Math.max(sampled, after.rss, resetOk ? after.peak : 0) };
  } finally {
    clearInterval(timer);
  }
}

/** Streams `lines` (generated lazily, in ~64 KB writes) as a text/plain upload; resolves with the answer. */
function upload(port: number, token: string, chunks: () => Generator<string>, opts: { declaredLength?: number; path?: string } = {}): Promise<{ status: number; body: any; bytes: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: opts.path ?? '/api/v1/serial-list', rejectUnauthorized: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', ...(opts.declaredLength ? { 'content-length': String(opts.declaredLength) } : {}) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: any = text;
        try { body = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body, bytes: Buffer.byteLength(text), sent });
      });
    });
    // The server may answer (413, 401) and close while we still send: the answer is what counts, so a write
    // error only fails the upload when no answer follows it.
    let answered = false;
    req.on('response', () => { answered = true; });
    req.on('error', (err) => { setTimeout(() => { if (!answered) reject(err); }, 500); });
    const it = chunks();
    const pump = () => {
      for (;;) {
        const next = it.next();
        if (next.done) { req.end(); return; }
        sent += Buffer.byteLength(next.value);
        if (!req.write(next.value)) { req.once('drain', pump); return; }
      }
    };
    pump();
  });
}

/** `count` lines from `line(i)` (or as many as make `bytes`), joined into ~64 KB strings. */
function* batched(count: number, line: (i: number) => string, bytes = Infinity): Generator<string> {
  let buf = '';
  let total = 0;
  for (let i = 0; i < count && total < bytes; i++) {
    const l = `${line(i)}\n`;
    buf += l;
    total += Buffer.byteLength(l);
    if (buf.length >= 64 * 1024) { yield buf; buf = ''; }
  }
  if (buf) yield buf;
}

const BAD = [(i: number) => `bad ${i}`, (i: number) => `no_${i}`, (i: number) => `é${i}`, (i: number) => `x!${i}`];

test('serial-number list uploads: a million bad lines, six 10 MB lists at once, one over the limit — small answers, the process up, RSS growth < 50 MB', async (t) => {
  t.timeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-uploads-'));
  const wp = await freePort();
  const child = await startChild(dataDir, wp);
  t.teardown(() => { child.kill('SIGKILL'); rmSync(dataDir, { recursive: true, force: true }); });
  const token = await login(wp);
  // Warm up the route (first-use compilation and allocation are not what is measured).
  t.is((await upload(wp, token, () => batched(1000, (i) => BAD[i % 4](i)))).status, 200);

  // 1. A million bad lines: every one counted, the first 100 described, a small answer.
  const million = await peakDuring(child.pid!, () => upload(wp, token, () => batched(1_000_000, (i) => BAD[i % 4](i))));
  const m = million.result;
  t.is(m.status, 200, JSON.stringify(m.body).slice(0, 300));
  t.like(m.body, { added: 0, duplicates: 0, invalidCount: 1_000_000, listFull: 0, lines: 1_000_000 });
  t.is(m.body.invalid.length, 100);
  t.deepEqual(m.body.invalid.slice(0, 4).map((p: any) => [p.line, p.reason]), [[1, 'multiple-values'], [2, 'invalid-characters'], [3, 'invalid-characters'], [4, 'invalid-characters']]);
  t.true(m.bytes < 20_000, `answer ${m.bytes} bytes for ${(m.sent / MB).toFixed(1)} MB uploaded`);
  const growth1 = (million.peak - million.before) / MB;
  t.log(`1,000,000 bad lines (${(m.sent / MB).toFixed(1)} MB): answer ${m.bytes} bytes; RSS ${(million.before / MB).toFixed(0)} MB, peak +${growth1.toFixed(1)} MB`);
  t.true(growth1 < 50, `RSS grew ${growth1.toFixed(1)} MB`);

  // 2. Six 10 MB lists at once, each with unique valid serials and bad lines: the list stops at its bound.
  const lists = Array.from({ length: 6 }, (_, k) => () => batched(Infinity, (i) => (i % 2 ? `P${k}-${String(i).padStart(7, '0')}` : BAD[i % 4](i)), 10 * MB));
  const parallel = await peakDuring(child.pid!, () => Promise.all(lists.map((l) => upload(wp, token, l))));
  const answers = parallel.result;
  for (const a of answers) {
    t.is(a.status, 200, JSON.stringify(a.body).slice(0, 300));
    t.true(a.sent >= 10 * MB, `${a.sent} bytes sent`);
    t.true(a.bytes < 20_000, `answer of ${a.bytes} bytes`);
    t.is(a.body.invalid.length, 100);
    t.is(a.body.added + a.body.duplicates + a.body.listFull + a.body.invalidCount, a.body.lines, 'every line accounted for');
  }
  const added = answers.reduce((n, a) => n + a.body.added, 0);
  t.is(added, answers[0].body.maxListed, 'the list filled up to its bound and no further');
  const growth2 = (parallel.peak - parallel.before) / MB;
  t.log(`6 × 10 MB in parallel: ${added} serials added, ${answers.reduce((n, a) => n + a.body.listFull, 0)} refused as over the bound; RSS ${(parallel.before / MB).toFixed(0)} MB, peak +${growth2.toFixed(1)} MB`);
  t.true(growth2 < 50, `RSS grew ${growth2.toFixed(1)} MB`);

  // 3. Over the limit: 413 naming it, nothing stored; a declared length over it is refused before reading.
  const listed = (await api(wp, 'GET', '/api/v1/serial-list', { token })).body;
  const before = listed.total;
  t.is(before, added);
  // Room for one more, so a refused upload that stored anything would show.
  t.is((await api(wp, 'DELETE', `/api/v1/serial-list/${listed.serials[0].serial}`, { token })).status, 204);
  const big = await upload(wp, token, () => batched(Infinity, (i) => `Q-${String(i).padStart(8, '0')}`, 17 * MB));
  t.is(big.status, 413);
  t.like(big.body.error, { code: 'body-too-large', message: 'the request body is larger than the 16 MiB this route accepts', details: { limitBytes: 16 * MB } });
  const declared = await upload(wp, token, () => batched(10, (i) => `D-${i}`), { declaredLength: 17 * MB });
  t.is(declared.status, 413);
  t.true(declared.sent < MB, 'refused from the header');
  const after = (await api(wp, 'GET', '/api/v1/serial-list', { token })).body;
  t.is(after.total, before - 1, 'nothing of the refused uploads was stored');
  t.false(after.serials.some((s: any) => s.serial.startsWith('Q-')));

  // The process is up and answers.
  t.is(child.exitCode, null);
  t.deepEqual((await api(wp, 'GET', '/api/v1/health')).body, { status: 'ok' });
});

test('JSON and PEM bodies over their route\'s limit get 413 naming the limit; wrong types 415; an anonymous body is never read', async (t) => {
  const { startTestAppliance } = await import('../fakes/appliance.ts');
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const token = await login(port);
  const settings = await api(port, 'PUT', '/api/v1/settings', { token, body: { deviceHistoryLimit: 9, pad: 'x'.repeat(70 * 1024) } });
  t.is(settings.status, 413);
  t.like(settings.body.error, { code: 'body-too-large', message: 'the request body is larger than the 64 KiB this route accepts' });
  const signIn = await api(port, 'POST', '/api/v1/login', { body: { username: 'admin', password: 'x'.repeat(5000) } });
  t.is(signIn.status, 413);
  t.regex(signIn.body.error.message, /4 KiB/);
  const ca = await api(port, 'POST', '/api/v1/pki/trusted-cas', { token, text: 'A'.repeat(1024 * 1024 + 1) });
  t.is(ca.status, 413);
  t.regex(ca.body.error.message, /1 MiB/);
  t.is(h.appliance.settings.get('deviceHistoryLimit'), 50, 'a refused body changes nothing');
  const wrongType = await api(port, 'PUT', '/api/v1/settings', { token, text: 'deviceHistoryLimit=9' });
  t.is(wrongType.status, 415);
  t.like(wrongType.body.error, { code: 'unsupported-media-type', details: { accepted: ['application/json'] } });
  const gz = await api(port, 'PUT', '/api/v1/settings', { token, body: {}, headers: { 'content-encoding': 'gzip' } });
  t.is(gz.status, 415);
  t.is((await api(port, 'POST', '/api/v1/serial-list', { token, text: 'A1\n', headers: { 'content-type': 'application/json' } })).status, 415);
  // Anonymous: 401 even for a body far over the limit (it is not read, so its size is never looked at).
  const anon = await upload(port, 'not-a-token', () => batched(100_000, (i) => `ANON-${i}`));
  t.is(anon.status, 401);
  t.false((await api(port, 'GET', '/api/v1/serial-list', { token })).body.serials.some((s: any) => s.serial.startsWith('ANON')));
  t.deepEqual((await api(port, 'GET', '/api/v1/health')).body, { status: 'ok' });
});
