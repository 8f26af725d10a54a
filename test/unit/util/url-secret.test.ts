// A URL's password is masked wherever text is shown or kept: in settings answers and, whatever the field is
// called, in the audit log's copy of a request (review: mqttUrl was kept in clear by the audit log).
import test from 'ava';
import { maskUrlPasswords } from '../../../appliance/src/util/url-secret.ts';
import { redact } from '../../../appliance/src/api/audit.ts';

test('passwords in URLs are masked whole, user names and hosts kept', (t) => {
  t.is(maskUrlPasswords('mqtt://bob:s3cret@broker:1883'), 'mqtt://bob:***@broker:1883');
  t.is(maskUrlPasswords('mqtts://bob:p@ss:w@rd@broker'), 'mqtts://bob:***@broker', 'the last @ of the authority ends the userinfo');
  t.is(maskUrlPasswords('mqtt://:only-password@broker'), 'mqtt://:***@broker');
  t.is(maskUrlPasswords('go to https://a:b@c/x?y=d@e and ftp://u:v@w'), 'go to https://a:***@c/x?y=d@e and ftp://u:***@w');
  t.is(maskUrlPasswords('mqtt://broker:1883'), 'mqtt://broker:1883');
  t.is(maskUrlPasswords('mqtt://user@broker'), 'mqtt://user@broker');
  t.is(maskUrlPasswords('no url here: a@b'), 'no url here: a@b');
});

test('the scan is linear on hostile text', (t) => {
  for (const s of ['a.'.repeat(500_000) + '://x', 'x://a:' + 'b'.repeat(1_000_000), 'x://a:x'.repeat(200_000)]) {
    const started = performance.now();
    maskUrlPasswords(s);
    t.true(performance.now() - started < 500, `${s.length} characters`);
  }
});

test('the audit copy of a request masks URL passwords in any field, and secret fields by name', (t) => {
  const r = redact({ mqttUrl: 'mqtt://u:hunter2@h', nested: { list: ['https://x:y2@z'] }, smtpPassword: 'pw', note: 'plain' }) as any;
  t.is(r.mqttUrl, 'mqtt://u:***@h');
  t.is(r.nested.list[0], 'https://x:***@z');
  t.is(r.smtpPassword, '***');
  t.is(r.note, 'plain');
  t.false(JSON.stringify(r).includes('hunter2'));
});
