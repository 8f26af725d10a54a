// Issue 16 item 4: GET /metrics after a real announce → assess → remediate cycle (a simulated printer with a
// real SNMP agent) is accepted by Debian's `promtool check metrics` and carries the numbers that happened;
// only a bearer token or an allowed address may read it.
import test from 'ava';
import { spawn } from 'node:child_process';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';

const TOKEN = 'scrape-token-0123456789';

function promtool(text: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => { out += c; });
    p.stderr.on('data', (c) => { out += c; });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out }));
    p.stdin.end(text);
  });
}

/** The value of one sample line, e.g. value(text, 'ioe_devices{compliance="remediated"}'). */
function value(text: string, sample: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : NaN;
}

test('promtool accepts /metrics, which counts the announcement, the remediation, SNMP, the store and the process', async (t) => {
  t.timeout(90_000);
  const h = await startTestAppliance({ env: { INSTANT_ON_METRICS_TOKEN: TOKEN, INSTANT_ON_SNMP_TIMEOUT_MS: '500' } });
  const printer = new SimPrinter({ index: 4501, serialPrefix: 'PROM', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await printer.startAgent({ readCommunity: 'pm-read', writeCommunity: 'pm-write' });
  t.teardown(async () => { await printer.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'pm-read', writeCommunity: 'pm-write' } });
  const policy = await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'Prom baseline', settings: { telnet: false, ftp: 'off' } } });
  await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policy.body.id } });
  t.is(await printer.boot(), 'Success');
  await waitFor(() => h.appliance.registry.get(printer.serialNumber)?.compliance?.status === 'remediated', 20_000);
  await waitFor(() => h.appliance.tasks.stats().running === 0 && h.appliance.tasks.stats().queued === 0, 10_000);

  const r = await api(web, 'GET', '/metrics', { token: TOKEN });
  t.is(r.status, 200);
  t.regex(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = r.body as string;
  const check = await promtool(text);
  t.is(check.code, 0, check.out);
  t.is(check.out.trim(), '', 'no lint findings');

  t.is(value(text, 'ioe_announcements_total{outcome="accepted"}'), 1);
  t.is(value(text, 'ioe_devices{compliance="remediated"}'), 1);
  t.is(value(text, 'ioe_devices{compliance="not-assessed"}'), 0);
  t.is(value(text, 'ioe_snmp_device_runs_total{status="remediated"}'), 1);
  t.true(value(text, 'ioe_snmp_round_trips_total') >= 3, 'GET, SET and the verifying GET');
  t.is(value(text, 'ioe_task_duration_seconds_count{type="instant-on",state="done"}'), 1);
  t.true(value(text, 'ioe_store_commit_duration_seconds_count') >= 2);
  t.is(value(text, 'ioe_tasks{state="running"}'), 0);
  t.is(value(text, 'ioe_forward_backlog_messages'), 0);
  t.true(value(text, 'process_resident_memory_bytes') > 10e6);
  t.true(value(text, 'nodejs_eventloop_lag_seconds') >= 0);
  t.true(Number.isFinite(value(text, 'ioe_dns_responses_total{result="answered"}')));
});

test('/metrics needs the metrics token, an API token or an allowed address; bad allow lists are refused', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_METRICS_TOKEN: TOKEN } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const none = await api(web, 'GET', '/metrics');
  t.is(none.status, 401);
  t.is(none.body.error.code, 'unauthenticated');
  t.is((await api(web, 'GET', '/metrics', { token: 'scrape-token-wrong-000' })).status, 401);
  const token = await login(web);
  t.is((await api(web, 'GET', '/metrics', { token })).status, 200, 'a signed-in API token works too');

  const badList = await api(web, 'PUT', '/api/v1/settings', { token, body: { metricsAllowFrom: '10.0.0.0/8, printer-subnet' } });
  t.is(badList.status, 400);
  t.regex(JSON.stringify(badList.body), /metricsAllowFrom.*entry 2 \\"printer-subnet\\"/);
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { metricsAllowFrom: '10.0.0.0/8' } })).status, 200);
  t.is((await api(web, 'GET', '/metrics')).status, 401, 'loopback is not in 10.0.0.0/8');
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { metricsAllowFrom: '10.0.0.0/8,127.0.0.0/8' } })).status, 200);
  const allowed = await api(web, 'GET', '/metrics');
  t.is(allowed.status, 200, 'an allowed address needs no token');
  t.regex(allowed.body, /# TYPE ioe_devices gauge/);
  const shown = (await api(web, 'GET', '/api/v1/settings', { token })).body.settings.find((s: any) => s.key === 'metricsToken');
  t.is(shown.value, '***');
});
