// Compliance reports (issue 16 §1) from a real appliance assessing simulated printers (real SNMP agents):
// the JSON, the CSV parsed with a CSV library and compared with it, the PDF read back with Debian's
// pdftotext; periods and scopes; bad input answered 400 naming the field.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';

async function download(port: number, path: string, token: string): Promise<{ status: number; type: string; body: Buffer; disposition: string }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks), disposition: String(res.headers['content-disposition']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, maxBuffer: 16 << 20 }).toString('utf8');

test('report: remediated, compliant, non-compliant, unreachable; JSON = CSV; the PDF lists devices and changes', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '400', INSTANT_ON_SNMP_RETRIES: '0' } });
  const fleet = new Fleet({ count: 4, serialPrefix: 'REP', firstIndex: 7300, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  const [fixed, again, readOnly, silent] = fleet.printers;
  await fixed.startAgent({ port: 0 });
  await again.startAgent({ port: 0 });
  await readOnly.startAgent({ port: 0, model: 'laserjet-m404' }); // the panel lock is read-only over SNMP
  // `silent` has no SNMP agent at all: unreachable.
  t.teardown(async () => { await fleet.stop(); await h.stop(); });
  const port = h.appliance.webPort;
  const token = await login(port);
  await api(port, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policyId = (await api(port, 'POST', '/api/v1/policies', { token, body: { name: 'Branch baseline', settings: { telnet: false, 'control-panel-lock': true } } })).body.id;
  const start = new Date(Date.now() - 60_000).toISOString();
  await fleet.announceAll('initial-boot');
  const all = fleet.printers.map((p) => p.serialNumber);
  const first = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'remediate', policyId, serials: all } });
  t.is(first.status, 200);
  await waitFor(() => h.appliance.tasks.get(first.body.taskId)?.state === 'done', 20_000);
  const mark = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  // A second assessment of one printer finds it compliant: nothing left to change.
  const second = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'assess', policyId, serials: [again.serialNumber] } });
  await waitFor(() => h.appliance.tasks.get(second.body.taskId)?.state === 'done', 20_000);
  await api(port, 'PUT', `/api/v1/devices/${silent.serialNumber}/retired`, { token, body: { retired: true, note: 'moved to storage' } });

  const q = `from=${encodeURIComponent(start)}&policyId=${policyId}`;
  const report = (await api(port, 'GET', `/api/v1/reports/compliance?${q}`, { token })).body;
  t.is(report.policies.length, 1);
  const cat = Object.fromEntries(report.policies[0].devices.map((d: any) => [d.serial, d.category]));
  t.deepEqual(cat, { [fixed.serialNumber]: 'remediated', [again.serialNumber]: 'remediated', [readOnly.serialNumber]: 'non-compliant', [silent.serialNumber]: 'unreachable' });
  t.deepEqual(report.policies[0].counts, { compliant: 0, remediated: 2, 'non-compliant': 1, unreachable: 1, 'not-assessed': 0 });
  t.true(report.policies[0].devices.find((d: any) => d.serial === silent.serialNumber).retired);
  t.deepEqual(report.policies[0].devices.find((d: any) => d.serial === readOnly.serialNumber).nonCompliant, ['control-panel-lock']);
  const changed = report.changes.map((c: any) => `${c.serial} ${c.setting} ${c.from}->${c.to}`).sort();
  t.deepEqual(changed, [`${fixed.serialNumber} control-panel-lock false->true`, `${fixed.serialNumber} telnet true->false`,
    `${again.serialNumber} control-panel-lock false->true`, `${again.serialNumber} telnet true->false`, `${readOnly.serialNumber} telnet true->false`].sort());

  // A period after the first run: the re-assessed printer is plainly compliant, the others not assessed in it.
  const later = (await api(port, 'GET', `/api/v1/reports/compliance?from=${encodeURIComponent(mark)}`, { token })).body;
  t.deepEqual(Object.fromEntries(later.policies[0].devices.map((d: any) => [d.serial, d.category])),
    { [again.serialNumber]: 'compliant', [fixed.serialNumber]: 'not-assessed', [readOnly.serialNumber]: 'not-assessed', [silent.serialNumber]: 'not-assessed' });
  t.deepEqual(later.changes, []);

  // CSV (devices and changes) parsed with csv-parse: the same rows as the API.
  const csv = await download(port, `/api/v1/reports/compliance.csv?${q}`, token);
  t.is(csv.status, 200);
  t.regex(csv.type, /^text\/csv/);
  t.regex(csv.disposition, /attachment; filename="compliance-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-devices\.csv"/);
  const rows = parse(csv.body, { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  t.deepEqual(rows.map((r) => [r.serialNumber, r.category, r.status, r.lastAssessedAt, r.settingsChanged, r.nonCompliantSettings, r.retired]),
    report.policies[0].devices.map((d: any) => [d.serial, d.category, d.status, d.lastAssessedAt, String(d.settingsChanged), d.nonCompliant.join(' '), String(d.retired)]));
  t.true(rows.every((r) => r.policyName === 'Branch baseline' && r.policyId === policyId));
  const changesCsv = parse((await download(port, `/api/v1/reports/compliance.csv?${q}&rows=changes`, token)).body, { columns: true, bom: true }) as Record<string, string>[];
  t.deepEqual(changesCsv.map((r) => `${r.serialNumber} ${r.setting} ${r.from}->${r.to}`).sort(), changed);
  t.deepEqual(changesCsv.map((r) => r.changedAt), report.changes.map((c: any) => c.at));

  // PDF, read back as text.
  const pdf = await download(port, `/api/v1/reports/compliance.pdf?${q}`, token);
  t.is(pdf.status, 200);
  t.is(pdf.type, 'application/pdf');
  t.is(pdf.body.subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(pdf.body);
  t.true(text.includes('Printer compliance report'));
  t.true(text.includes('Branch baseline'));
  for (const p of fleet.printers) t.true(text.includes(p.serialNumber), `${p.serialNumber} listed`);
  t.regex(text, /Remediation summary: 5 setting change\(s\)/);
  const changeLines = text.split('\n').filter((l) => / UTC\s+REP\d+\s+Branch baseline\s+(telnet|control-panel-lock)/.test(l));
  t.is(changeLines.length, 5, text);
  t.true(changeLines.some((l) => l.includes(readOnly.serialNumber) && /telnet.*on\s+off/.test(l)), 'the change reads before → after');
  t.regex(text, new RegExp(`${silent.serialNumber}.*Unreachable \\(retired\\)`));
  t.regex(text, /page 1 of \d/);

  // Bad input: 400s naming the field; the appliance goes on.
  const future = new Date(Date.now() + 2 * 86400_000).toISOString();
  const fut = await api(port, 'GET', `/api/v1/reports/compliance.pdf?to=${encodeURIComponent(future)}`, { token });
  t.is(fut.status, 400);
  t.is(fut.body.error.code, 'invalid-period');
  t.is(fut.body.error.details[0].field, 'to');
  const futFrom = await api(port, 'GET', `/api/v1/reports/compliance.csv?from=${encodeURIComponent(future)}`, { token });
  t.is(futFrom.body.error.details[0].field, 'from');
  t.is((await api(port, 'GET', '/api/v1/reports/compliance?from=yesterday', { token })).body.error.details[0].field, 'from');
  t.is((await api(port, 'GET', '/api/v1/reports/compliance?policyId=nope', { token })).body.error.details[0].field, 'policyId');
  // A group's report lists its members only.
  const floor = (await api(port, 'POST', '/api/v1/groups', { token, body: { name: 'Floor 2', kind: 'manual', members: [fixed.serialNumber, readOnly.serialNumber], priority: 5 } })).body;
  const scoped = (await api(port, 'GET', `/api/v1/reports/compliance?${q}&groupId=${floor.id}`, { token })).body;
  t.deepEqual(scoped.scope, { policyId, groupId: floor.id, groupName: 'Floor 2' });
  t.deepEqual(scoped.policies[0].devices.map((d: any) => d.serial).sort(), [fixed.serialNumber, readOnly.serialNumber].sort());
  t.true(pdfText((await download(port, `/api/v1/reports/compliance.pdf?${q}&groupId=${floor.id}`, token)).body).includes('group Floor 2'));
  const group = await api(port, 'GET', '/api/v1/reports/compliance?groupId=g1', { token });
  t.is(group.status, 400);
  t.is(group.body.error.details[0].field, 'groupId');
  t.is((await api(port, 'GET', '/api/v1/health')).status, 200);
});

test('the report is e-mailed (PDF and CSV attached) through a real SMTP server; a server that does not answer is a clear error', async (t) => {
  const { SMTPServer } = await import('smtp-server');
  const { simpleParser } = await import('mailparser');
  const { freePort } = await import('../fakes/ports.ts');
  const received: any[] = [];
  const smtpPort = await freePort();
  const server = new SMTPServer({ disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, session, cb) { simpleParser(stream).then((mail) => { received.push({ mail, to: session.envelope.rcptTo.map((r) => r.address) }); cb(); }, cb); } });
  await new Promise<void>((r) => server.listen(smtpPort, '127.0.0.1', () => r()));
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000', INSTANT_ON_SMTP_HOST: '127.0.0.1', INSTANT_ON_SMTP_PORT: String(smtpPort),
    INSTANT_ON_SMTP_SECURITY: 'none', INSTANT_ON_SMTP_FROM: 'edge@branch.test', INSTANT_ON_SMTP_TIMEOUT_MS: '2000' } });
  const fleet = new Fleet({ count: 2, serialPrefix: 'RML', firstIndex: 7700, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await fleet.startAgents({ port: 0 });
  t.teardown(async () => { await fleet.stop(); await h.stop(); await new Promise<void>((r) => server.close(() => r())); });
  const port = h.appliance.webPort;
  const token = await login(port);
  await api(port, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policyId = (await api(port, 'POST', '/api/v1/policies', { token, body: { name: 'Mailed baseline', settings: { telnet: false } } })).body.id;
  await fleet.announceAll('initial-boot');
  const task = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'remediate', policyId, serials: fleet.printers.map((p) => p.serialNumber) } });
  await waitFor(() => h.appliance.tasks.get(task.body.taskId)?.state === 'done', 20_000);

  t.is((await api(port, 'PUT', '/api/v1/settings', { token, body: { reportEmailTo: 'auditor@@x' } })).status, 400);
  t.is((await api(port, 'PUT', '/api/v1/settings', { token, body: { reportEmailTo: 'auditor@branch.test', reportEmailEvery: 'weekly' } })).status, 200);
  const sent = await api(port, 'POST', '/api/v1/reports/mail', { token, body: {} });
  t.is(sent.status, 200, JSON.stringify(sent.body));
  await waitFor(() => received.length === 1, 10_000);
  const { mail, to } = received[0];
  t.deepEqual(to, ['auditor@branch.test']);
  t.regex(mail.subject, /Compliance report/);
  t.regex(mail.text, /remediated 2/);
  const pdf = mail.attachments.find((a: any) => a.contentType === 'application/pdf');
  const csvFile = mail.attachments.find((a: any) => a.filename.endsWith('.csv'));
  const text = pdfText(pdf.content);
  for (const p of fleet.printers) t.true(text.includes(p.serialNumber));
  t.true(text.includes('Mailed baseline'));
  const rows = parse(csvFile.content, { columns: true, bom: true }) as Record<string, string>[];
  t.deepEqual(rows.map((r) => r.serialNumber).sort(), fleet.printers.map((p) => p.serialNumber).sort());
  const status = (await api(port, 'GET', '/api/v1/reports/mail', { token })).body;
  t.like(status, { every: 'weekly', to: ['auditor@branch.test'] });
  t.is(status.last.error, undefined);

  // A mail server that does not answer: a clear error, and the appliance goes on.
  await new Promise<void>((r) => server.close(() => r()));
  const down = await api(port, 'POST', '/api/v1/reports/mail', { token, body: {} });
  t.is(down.status, 502);
  t.regex(down.body.error.message, /could not be e-mailed: .*127\.0\.0\.1|ECONNREFUSED|connect/i);
  t.is((await api(port, 'GET', '/api/v1/reports/compliance', { token })).status, 200);
});
