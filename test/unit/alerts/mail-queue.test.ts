// The mail queue's retry with back-off and its bound, with the send step replaced (the real SMTP server is in
// test/system/ops-alerts-mail.test.ts).
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';
import { AlertCenter, AlertMailer } from '../../../appliance/src/alerts/index.ts';
import { waitFor } from '../../fakes/appliance.ts';

const smtp = { host: 'mail.test', port: 587, security: 'starttls' as const, verifyCertificate: true, user: '', password: '', from: '', timeoutMs: 1000, ca: [] };

test('a failing server: kept queued, retried with back-off, then one digest; health told both ways', async (t) => {
  const store = await Store.open();
  const sent: { to: string[]; subject: string }[] = [];
  let failures = 2;
  const health: (string | null)[] = [];
  const mailer = new AlertMailer({ store, log: silentLogger(), smtp: () => smtp, digestSeconds: () => 0, appliance: () => 'b1', retry: { baseMs: 30, maxMs: 60 },
    onHealth: (h) => health.push(h),
    send: async (_cfg, to, mail) => { if (failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }); sent.push({ to, subject: mail.subject }); } });
  await mailer.load();
  await mailer.setSubscriptions([{ email: 'a@x.test', kinds: ['*'] }, { email: 'b@x.test', kinds: ['disk-low'] }]);
  mailer.start();
  const center = new AlertCenter({ store, log: silentLogger() });
  center.addSink(mailer);
  center.raise('disk-low', '/data');
  center.raise('device-unlisted', 'SN1');
  await waitFor(() => sent.length === 2, 5000);
  t.deepEqual(sent.map((s) => s.to[0]).sort(), ['a@x.test', 'b@x.test']);
  t.regex(sent.find((s) => s.to[0] === 'a@x.test')!.subject, /Alert digest: 2 raised/);
  t.is(mailer.view().queued, 0);
  t.is(mailer.view().lastError, null);
  t.deepEqual(health, ['mail.test:587: ESOCKET: connect ECONNREFUSED', null]);
  t.is((await store.sub('alertmail').keys().all()).length, 0);
  await mailer.stop();
});

test('the queue is bounded; what did not fit is counted and said', async (t) => {
  const store = await Store.open();
  const mailer = new AlertMailer({ store, log: silentLogger(), smtp: () => smtp, digestSeconds: () => 3600, appliance: () => 'b1', maxQueued: 3, send: async () => undefined });
  await mailer.load();
  await mailer.setSubscriptions([{ email: 'a@x.test', kinds: ['*'] }]);
  const center = new AlertCenter({ store, log: silentLogger() });
  center.addSink(mailer);
  for (let i = 0; i < 5; i++) center.raise('device-unlisted', `SN${i}`);
  t.is(mailer.view().queued, 3);
  t.is(mailer.view().dropped, 2);
  center.raise('mail-failing', 'smtp');
  t.is(mailer.view().dropped, 2, 'mail-failing is never mailed');
});
