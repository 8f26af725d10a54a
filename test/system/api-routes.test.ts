// Every API route, enumerated from the router itself (so a route added later is covered without editing
// this file): 401 without credentials, 403 for a cookie request without/with a wrong CSRF token, and no
// other spelling of its path (case, slashes, dot segments, encodings, Unicode) reaching its handler; the
// sign-in back-off; cookie attributes; password change; audit with redaction; CSV; SSE; the page's assets.
import test from 'ava';
import { request } from 'node:https';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { startTestAppliance, api, login, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { routerFor } from '../../appliance/src/api/app.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { RawHttps } from '../fakes/raw-https.ts';
import { spellings } from '../fakes/path-spellings.ts';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';

// Sign-in, health, and the sign-in help's first-start file (its path while it exists, null after: test/system/setup-checklist.test.ts).
const PUBLIC = new Set(['POST /api/v1/login', 'GET /api/v1/health', 'POST /api/v1/session', 'GET /api/v1/first-start']);

function routes(services: object): { method: string; path: string }[] {
  const router = routerFor(services as any);
  if (!router) throw new Error('no router registered for these services');
  const out: { method: string; path: string }[] = [];
  for (const layer of router.stack) {
    if (typeof layer.path !== 'string' || !layer.path.startsWith('/api/')) continue;
    const path = layer.path.replace(/:(\w+)/g, 'SAMPLE1');
    for (const method of layer.methods) if (method !== 'HEAD') out.push({ method, path });
  }
  return out;
}

/** The fake's Headers joins repeated Set-Cookie lines with ", "; split them back. */
function splitSetCookie(h: Headers): string[] {
  return h.getSetCookie().flatMap((v) => v.split(/,\s*(?=__Host-)/));
}

async function cookieSession(port: number) {
  const r = await api(port, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  if (r.status !== 200) throw new Error(`session: ${r.status} ${JSON.stringify(r.body)}`);
  const setCookie = splitSetCookie(r.headers);
  const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: r.body.csrfToken as string, setCookie };
}

test('every route: 401 without credentials, 403 for a cookie without or with a wrong CSRF token, bearer needs none', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const all = routes(h.appliance.services);
  t.true(all.length >= 15, `${all.length} routes found`);
  for (const must of ['GET /api/v1/events', 'GET /api/v1/audit', 'GET /api/v1/devices.csv', 'POST /api/v1/password', 'DELETE /api/v1/session']) {
    t.true(all.some((r) => `${r.method} ${r.path}` === must), `${must} is routed`);
  }
  const { cookie, csrf } = await cookieSession(port);
  const token = await login(port);
  const guarded = all.filter((r) => !PUBLIC.has(`${r.method} ${r.path}`));
  for (const r of guarded) {
    const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
    const none = await api(port, r.method, r.path, { body });
    t.is(none.status, 401, `${r.method} ${r.path} without credentials`);
    t.is(none.body?.error?.code, 'unauthenticated');
    const noCsrf = await api(port, r.method, r.path, { body, headers: { cookie } });
    t.is(noCsrf.status, 403, `${r.method} ${r.path} with a cookie but no CSRF token`);
    t.is(noCsrf.body?.error?.code, 'csrf-token-missing');
    const wrong = await api(port, r.method, r.path, { body, headers: { cookie, 'x-csrf-token': csrf.slice(0, -2) + 'xx' } });
    t.is(wrong.status, 403, `${r.method} ${r.path} with a wrong CSRF token`);
    t.is(wrong.body?.error?.code, 'csrf-token-invalid');
    // A CSRF token in the query string is for GET only (EventSource, downloads); it never unlocks a change.
    if (r.method !== 'GET') t.is((await api(port, r.method, `${r.path}?csrf=${encodeURIComponent(csrf)}`, { body, headers: { cookie } })).status, 403);
  }
  // Safe to call for real: with the token (cookie + header, or bearer alone) these pass auth.
  t.is((await api(port, 'GET', '/api/v1/devices', { headers: { cookie, 'x-csrf-token': csrf } })).status, 200);
  t.is((await api(port, 'GET', '/api/v1/devices', { token })).status, 200);
  t.is((await api(port, 'GET', '/api/v1/devices.csv?csrf=' + encodeURIComponent(csrf), { headers: { cookie } })).status, 200);
  // Another session's CSRF token does not fit this cookie.
  const other = await cookieSession(port);
  t.is((await api(port, 'GET', '/api/v1/devices', { headers: { cookie, 'x-csrf-token': other.csrf } })).status, 403);
  // A forged bearer header is not rescued by a valid cookie.
  t.is((await api(port, 'GET', '/api/v1/devices', { token: 'forged', headers: { cookie, 'x-csrf-token': csrf } })).status, 401);
});

/** Counts calls of each guarded route's handler (the last middleware of its layer), keyed `METHOD template`. */
function spyOnHandlers(services: object): Map<string, number> {
  const calls = new Map<string, number>();
  for (const layer of routerFor(services as any)!.stack as any[]) {
    if (!layer.methods?.length || layer.methods.some((m: string) => PUBLIC.has(`${m} ${layer.path}`))) continue;
    const handler = layer.stack.at(-1);
    layer.stack[layer.stack.length - 1] = (ctx: any, next: any) => {
      const key = `${ctx.method} ${layer.path}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return handler(ctx, next);
    };
  }
  return calls;
}

test('every route, every spelling of its path: none reaches a handler without credentials, or with a cookie and no CSRF token', async (t) => {
  t.timeout(180_000);
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const calls = spyOnHandlers(h.appliance.services);
  const all = routes(h.appliance.services).filter((r) => !PUBLIC.has(`${r.method} ${r.path}`));
  t.true(all.length >= 50, `${all.length} guarded routes`);
  const { cookie } = await cookieSession(port);
  const client = new RawHttps(port);
  t.teardown(() => client.close());
  const statuses = new Map<number, number>();
  let requests = 0;
  for (const r of all) {
    const methods = r.method === 'GET' ? ['GET', 'HEAD'] : [r.method];
    const targets = spellings(r.path, port);
    for (const method of methods) {
      for (const target of targets) {
        const body = method === 'POST' || method === 'PUT' ? '{}' : undefined;
        const json: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
        const what = `${method} ${Buffer.isBuffer(target) ? target.toString('utf8') : target}`;
        const anon = await client.request(method, target, json, body);
        const withCookie = await client.request(method, target, { ...json, cookie }, body);
        requests += 2;
        for (const res of [anon, withCookie]) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        t.true([400, 401, 404, 405].includes(anon.status), `${what} without credentials: ${anon.status} ${anon.body.slice(0, 120)}`);
        t.true([400, 403, 404, 405].includes(withCookie.status), `${what} with a cookie, no CSRF token: ${withCookie.status} ${withCookie.body.slice(0, 120)}`);
      }
      // The canonical spelling is the route itself: refused for who is calling, not for the path.
      const anon = await client.request(method, r.path, {});
      t.is(anon.status, 401, `${method} ${r.path}`);
      t.is(anon.headers['www-authenticate'], 'Bearer realm="instant-on-edge"');
      t.is((await client.request(method, r.path, { cookie })).status, 403, `${method} ${r.path} with a cookie, no CSRF token`);
      // A lower-case method is not a method (the parser refuses it).
      t.true([400, 501].includes((await client.request(method.toLowerCase(), r.path, {})).status), `${method.toLowerCase()} ${r.path}`);
      requests += 3;
    }
  }
  // Headers some servers honour to rewrite the path or method: Koa does not, so health stays health.
  for (const r of all.slice(0, 10)) {
    const res = await client.request('GET', '/api/v1/health', { 'x-original-url': r.path, 'x-rewrite-url': r.path, 'x-http-method-override': r.method });
    t.deepEqual(JSON.parse(res.body), { status: 'ok' });
  }
  t.log(`${requests} requests over ${client.connections} connections; answers: ${[...statuses].map(([k, v]) => `${k}×${v}`).join(', ')}`);
  t.deepEqual([...calls.entries()], [], 'no guarded handler ran');
  // The spies do see a handler that is reached (so the check above could fail).
  const token = await login(port);
  t.is((await client.request('GET', '/api/v1/devices', { authorization: `Bearer ${token}` })).status, 200);
  t.is(calls.get('GET /api/v1/devices'), 1);
});

test('spellings that reach a route get its checks: absolute-form and query spellings are signed-in, audited by route; others change nothing', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const token = await login(port);
  const client = new RawHttps(port);
  t.teardown(() => client.close());
  const put = (target: string, value: number, auth = true) => client.request('PUT', target,
    { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) }, JSON.stringify({ deviceHistoryLimit: value }));
  for (const [i, target] of spellings('/api/v1/settings', port).entries()) {
    const routed = target === '/api/v1/settings' || (typeof target === 'string' && /^(https?:\/\/[^/]+)?\/api\/v1\/settings(\?.*|#.*)?$/.test(target));
    const anon = await put(target as string, 100 + i, false);
    t.true([400, 401, 404].includes(anon.status), `${String(target)} without a token: ${anon.status}`);
    const res = await put(target as string, 100 + i);
    if (routed) t.is(res.status, 200, `${String(target)} is the settings route`);
    else t.true([400, 404].includes(res.status), `${String(target)} with a token: ${res.status}`);
  }
  const audit = (await api(port, 'GET', '/api/v1/audit?limit=1000', { token })).body.entries;
  const changes = audit.filter((e: any) => e.method === 'PUT');
  t.true(changes.length >= 4, `${changes.length} routed changes`);
  t.true(changes.every((e: any) => e.action === 'settings.change'), 'audited by the route, whatever the spelling');
  t.is(h.appliance.settings.get('deviceHistoryLimit'), changes[0].request.deviceHistoryLimit, 'the last routed change is the value now');
  const applied = new Set(changes.map((e: any) => e.request.deviceHistoryLimit));
  t.is(applied.size, changes.length);
});

test('the sign-in back-off holds for every spelling of the sign-in paths', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  for (let i = 0; i < 6; i++) t.is((await loginFrom(port, '127.0.0.41', 'admin', `wrong-${i}`)).status, 401);
  t.is((await loginFrom(port, '127.0.0.41', 'admin', ADMIN_PASSWORD)).status, 429, 'locked');
  // The lock is short at first (1 s, then doubling): let it grow to 8 s so a stall of the loaded machine
  // cannot let it lapse mid-try, and before each try a wrong password renews it if it lapsed all the same.
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 1000 * 2 ** i + 100));
    t.is((await loginFrom(port, '127.0.0.41', 'admin', `wrong-again-${i}`)).status, 401);
  }
  const relock = async () => { for (let i = 0; i < 20 && (await loginFrom(port, '127.0.0.41', 'admin', 'still-wrong')).status !== 429; i++); };
  const client = new RawHttps(port, '127.0.0.1', '127.0.0.41');
  t.teardown(() => client.close());
  const body = JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD });
  for (const path of ['/api/v1/login', '/api/v1/session']) {
    for (const target of spellings(path, port)) {
      await relock();
      const res = await client.request('POST', target, { 'content-type': 'application/json' }, body);
      t.not(res.status, 200, `POST ${String(target)} got past the back-off`);
      t.true([400, 404, 429].includes(res.status), `POST ${String(target)}: ${res.status}`);
    }
  }
});

test('session cookies are HttpOnly, Secure, SameSite=Strict; sign-out ends the session', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const { cookie, csrf, setCookie } = await cookieSession(port);
  const session = setCookie.find((c) => c.startsWith('__Host-ioe_session='))!;
  const csrfCookie = setCookie.find((c) => c.startsWith('__Host-ioe_csrf='))!;
  t.regex(session, /; HttpOnly/);
  t.regex(session, /; Secure/);
  t.regex(session, /; SameSite=Strict/);
  t.regex(session, /; Path=\/;/);
  t.regex(session, /Max-Age=\d+/);
  t.notRegex(csrfCookie, /HttpOnly/, 'the page must read the CSRF cookie');
  t.regex(csrfCookie, /; Secure; SameSite=Strict/);
  t.is(csrfCookie.split(';')[0].split('=')[1], csrf);
  const me = await api(port, 'GET', '/api/v1/session', { headers: { cookie, 'x-csrf-token': csrf } });
  t.like(me.body, { username: 'admin', via: 'cookie', csrfToken: csrf });
  t.is((await api(port, 'DELETE', '/api/v1/session', { headers: { cookie, 'x-csrf-token': csrf } })).status, 204);
  t.is((await api(port, 'GET', '/api/v1/session', { headers: { cookie, 'x-csrf-token': csrf } })).status, 401);
});

/** A request from a chosen loopback source address (the back-off is per source address and per user). */
function loginFrom(port: number, localAddress: string, username: string, password: string): Promise<{ status: number; retryAfter?: string; code?: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ username, password });
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/login', localAddress, rejectUnauthorized: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let code: string | undefined;
        try { code = JSON.parse(Buffer.concat(chunks).toString()).error?.code; } catch { /* empty */ }
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined, code });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('sign-in back-off: after 5 failures the next attempts get 429 with Retry-After, even with the right password', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  for (let i = 0; i < 5; i++) t.is((await loginFrom(port, '127.0.0.21', 'admin', `wrong-${i}`)).status, 401, `failure ${i + 1} is checked`);
  t.is((await loginFrom(port, '127.0.0.21', 'admin', 'wrong-6')).status, 401, 'the sixth is still checked, and starts the back-off');
  const locked = await loginFrom(port, '127.0.0.21', 'admin', ADMIN_PASSWORD);
  t.is(locked.status, 429);
  t.is(locked.code, 'too-many-attempts');
  t.true(Number(locked.retryAfter) >= 1, `Retry-After ${locked.retryAfter}`);
  // The user is locked from another address too (per-user key), and the page's sign-in route shares it.
  t.is((await loginFrom(port, '127.0.0.22', 'admin', ADMIN_PASSWORD)).status, 429);
  t.is((await api(port, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } })).status, 429);
  // After the wait, the right password works and clears the back-off.
  await new Promise((r) => setTimeout(r, Number(locked.retryAfter) * 1000 + 100));
  t.is((await loginFrom(port, '127.0.0.21', 'admin', ADMIN_PASSWORD)).status, 200);
  // Failed and locked sign-ins are in the audit log (the dashboard alerts on them).
  const token = await login(port);
  const audit = await api(port, 'GET', '/api/v1/audit?limit=50', { token });
  t.true(audit.body.entries.filter((e: any) => e.action === 'login-failed').length >= 6);
  t.true(audit.body.entries.some((e: any) => e.action === 'login-locked'));
  t.false(JSON.stringify(audit.body).includes(ADMIN_PASSWORD), 'no password in the audit log');
});

test('password change: wrong current password refused; other sessions end; the first-start password file goes', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const file = join(h.dataDir, 'initial-admin-password');
  writeFileSync(file, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  const other = await login(port);
  const { cookie, csrf } = await cookieSession(port);
  const headers = { cookie, 'x-csrf-token': csrf };
  t.true((await api(port, 'GET', '/api/v1/session', { headers })).body.initialPasswordFile, 'the page is told to nudge a change');
  t.is((await api(port, 'POST', '/api/v1/password', { headers, body: { currentPassword: 'nope-nope', newPassword: 'a-new-password-1' } })).status, 403);
  const short = await api(port, 'POST', '/api/v1/password', { headers, body: { currentPassword: ADMIN_PASSWORD, newPassword: 'short' } });
  t.is(short.status, 400);
  t.is(short.body.error.details[0].field, 'newPassword');
  const ok = await api(port, 'POST', '/api/v1/password', { headers, body: { currentPassword: ADMIN_PASSWORD, newPassword: 'a-new-password-1' } });
  t.is(ok.status, 200);
  t.true(ok.body.changed);
  t.false(existsSync(file), 'initial-admin-password removed');
  t.false((await api(port, 'GET', '/api/v1/session', { token: ok.body.token ?? (await login(port, 'a-new-password-1')) })).body.initialPasswordFile);
  t.is((await api(port, 'GET', '/api/v1/devices', { token: other })).status, 401, 'the other session ended');
  t.is((await api(port, 'GET', '/api/v1/devices', { headers })).status, 401, 'the old cookie ended too');
  const fresh = splitSetCookie(ok.headers).map((c) => c.split(';')[0]).join('; ');
  t.is((await api(port, 'GET', '/api/v1/devices', { headers: { cookie: fresh, 'x-csrf-token': ok.body.csrfToken } })).status, 200, 'the caller continues');
  t.is((await api(port, 'POST', '/api/v1/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).status, 401);
  t.truthy(await login(port, 'a-new-password-1'));
});

test('audit: a change records user, time, before and after; secrets are masked', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const token = await login(port);
  t.is((await api(port, 'PUT', '/api/v1/settings', { token, body: { deviceHistoryLimit: 9 } })).status, 200);
  t.is((await api(port, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'sekrit-read', writeCommunity: 'sekrit-write' } })).status, 200);
  t.is((await api(port, 'PUT', '/api/v1/settings', { token, body: { deviceHistoryLimit: 'many' } })).status, 400);
  const r = await api(port, 'GET', '/api/v1/audit', { token });
  t.is(r.status, 200);
  const [cred, setting] = r.body.entries;
  t.like(setting, { user: 'admin', method: 'PUT', path: '/api/v1/settings', status: 200, action: 'settings.change', before: { deviceHistoryLimit: 50 }, request: { deviceHistoryLimit: 9 } });
  t.true(setting.after.settings.some((s: any) => s.key === 'deviceHistoryLimit' && s.value === 9));
  t.true(Date.now() - Date.parse(setting.at) < 60_000);
  t.like(cred, { path: '/api/v1/credentials/default', request: { version: '2c', readCommunity: '***', writeCommunity: '***' } });
  t.false(JSON.stringify(r.body).includes('sekrit'), 'no secret in the audit log');
  t.false(r.body.entries.some((e: any) => e.status === 400), 'a refused change is not a change');
  const only = await api(port, 'GET', `/api/v1/audit?action=settings.change&since=${new Date(Date.now() - 60_000).toISOString()}`, { token });
  t.deepEqual(only.body.entries.map((e: any) => e.action), ['settings.change']);
  t.is((await api(port, 'GET', `/api/v1/audit?since=${new Date(Date.now() + 60_000).toISOString()}`, { token })).body.entries.length, 0);
});

test('devices.csv lists every device with compliance; SSE streams a device as it announces', async (t) => {
  const h = await startTestAppliance();
  const fleet = new Fleet({ count: 3, serialPrefix: 'CSV', firstIndex: 8100, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  t.teardown(async () => { await fleet.stop(); await h.stop(); });
  const port = h.appliance.webPort;
  const token = await login(port);
  // Open the event stream first, then announce: the event must arrive live.
  const events: { event: string; data: any }[] = [];
  let buffer = '';
  const sse = request({ host: '127.0.0.1', port, path: '/api/v1/events', rejectUnauthorized: false, headers: { authorization: `Bearer ${token}` } });
  const opened = new Promise<{ type?: string }>((resolve, reject) => {
    sse.on('response', (res) => {
      resolve({ type: res.headers['content-type'] });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      });
    });
    sse.on('error', reject);
  });
  sse.end();
  t.teardown(() => sse.destroy());
  t.regex((await opened).type ?? '', /^text\/event-stream/);
  await fleet.announceAll('initial-boot');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && events.filter((e) => e.event === 'device').length < 3) await new Promise((r) => setTimeout(r, 50));
  t.is(events[0]?.event, 'hello');
  t.deepEqual(new Set(events.filter((e) => e.event === 'device' && e.data.type === 'discovered').map((e) => e.data.device.serialNumber)),
    new Set(fleet.printers.map((p) => p.serialNumber)));
  const stats = await api(port, 'GET', '/api/v1/stats/announcements', { token });
  t.is(stats.body.hours.length, 24);
  t.true(stats.body.hours.at(-1).count >= 3, 'this hour counts the announcements');

  const csv = await api(port, 'GET', '/api/v1/devices.csv', { token });
  t.is(csv.status, 200);
  t.regex(csv.headers.get('content-type')!, /^text\/csv/);
  t.regex(csv.headers.get('content-disposition')!, /attachment; filename="devices-\d{4}-\d\d-\d\d\.csv"/);
  const lines = String(csv.body).replace(/^\ufeff/, '').trim().split('\r\n');
  t.is(lines[0].split(',')[0], 'serialNumber');
  t.true(lines[0].includes('compliance'));
  t.is(lines.length, 4);
  for (const p of fleet.printers) t.true(lines.some((l) => l.startsWith(`${p.serialNumber},instant-on,`)));
  t.true(lines.slice(1).every((l) => l.includes('not assessed')), 'no policy yet: not assessed');
});

test('devices.csv: a printer naming itself with a formula, behind leading whitespace, exports as text', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const hostile = [[' =HYPERLINK("http://x","y")', '   +1'], ['\u00a0@SUM(1+1)', '\u3000-2+3'], ['=1+1', '@A1']];
  for (const [i, [model, firmware]] of hostile.entries()) {
    const body = sampleAnnouncement(`CSVY${i}`);
    body.device.model = model;
    body.device.firmware = firmware;
    const ack = (await sendRaw(h.appliance.announcePort, frameBytes(body), { timeoutMs: 5000 })).acks[0];
    t.is(ack?.status, 'accepted', `${JSON.stringify(model)}: ${JSON.stringify(ack)}`);
  }
  const csv = String((await api(port, 'GET', '/api/v1/devices.csv', { token: await login(port) })).body);
  for (const [model, firmware] of hostile) {
    for (const v of [model, firmware]) {
      const cell = v.includes('"') || v.includes(',') ? `"'${v.replace(/"/g, '""')}"` : `'${v}`;
      t.true(csv.includes(cell), `${JSON.stringify(v)} is exported as ${JSON.stringify(cell)}`);
    }
  }
});

test('the page: security headers, precompressed assets, immutable hashed files, ETag revalidation', async (t) => {
  await ensureWebBuilt();
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const get = (path: string, headers: Record<string, string> = {}) => new Promise<{ status: number; headers: Record<string, any>; body: Buffer }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
  const index = await get('/', { 'accept-encoding': 'gzip' });
  t.is(index.status, 200);
  t.is(index.headers['content-encoding'], undefined, 'index.html is tiny: sent as is');
  t.regex(index.headers['content-security-policy'], /default-src 'self'; script-src 'self'/);
  t.regex(index.headers['content-security-policy'], /frame-ancestors 'none'/);
  t.is(index.headers['x-frame-options'], 'DENY');
  t.is(index.headers['x-content-type-options'], 'nosniff');
  t.is(index.headers['cache-control'], 'no-cache');
  const html = index.body.toString();
  const js = /src="\/(assets\/main-[A-Z0-9]+\.js)"/.exec(html)?.[1];
  t.truthy(js, 'the page references a hashed bundle');
  const br = await get(`/${js}`, { 'accept-encoding': 'gzip, deflate, br' });
  t.is(br.headers['content-encoding'], 'br');
  t.is(br.headers['cache-control'], 'public, max-age=31536000, immutable');
  const gz = await get(`/${js}`, { 'accept-encoding': 'gzip' });
  t.is(gz.headers['content-encoding'], 'gzip');
  const raw = await get(`/${js}`);
  t.deepEqual(brotliDecompressSync(br.body), raw.body);
  t.deepEqual(gunzipSync(gz.body), raw.body);
  t.true(br.body.length < raw.body.length / 2);
  t.is((await get(`/${js}`, { 'if-none-match': raw.headers.etag })).status, 304);
  t.is((await get('/assets/nothing-12345678.js')).status, 404);
  // API answers over 1 KB are compressed too (a thousand devices are ~1 MB of JSON).
  const token = await login(port);
  const settings = await get('/api/v1/settings', { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' });
  t.is(settings.headers['content-encoding'], 'gzip');
  t.regex(settings.headers['content-type'], /^application\/json/);
  t.true(Array.isArray(JSON.parse(gunzipSync(settings.body).toString()).settings));
  t.is((await get('/../package.json')).status, 404);
  t.is((await get('/%2e%2e/package.json')).status, 404);
});
