import test from 'ava';
import crypto from 'node:crypto';
import snmp from 'net-snmp';
import { installKeyCache, originalPasswordToKey } from '../../../appliance/src/snmp/key-cache.ts';

type Auth = { passwordToKey: (p: number, pw: string | Buffer, e: Buffer) => Buffer; authToKeyCache: Record<string, Buffer> };
const auth = (snmp as unknown as { Authentication: Auth }).Authentication;

test('the cached localization gives exactly net-snmp\'s keys, and is much cheaper per new engine', (t) => {
  installKeyCache();
  installKeyCache(); // idempotent
  const original = originalPasswordToKey();
  t.not(auth.passwordToKey, original);
  for (const protocol of [snmp.AuthProtocols.sha, snmp.AuthProtocols.sha256]) {
    for (const password of ['authpass123', 'privpass123', Buffer.from('00ff10', 'hex')]) {
      for (let i = 0; i < 3; i++) {
        const engine = crypto.randomBytes(17);
        auth.authToKeyCache = {};
        const want = original(protocol, password, engine);
        auth.authToKeyCache = {};
        t.deepEqual(auth.passwordToKey(protocol, password, engine), want);
      }
    }
  }
  auth.passwordToKey(snmp.AuthProtocols.sha, 'warm-up-pass', crypto.randomBytes(17));
  const started = performance.now();
  for (let i = 0; i < 50; i++) auth.passwordToKey(snmp.AuthProtocols.sha, 'warm-up-pass', crypto.randomBytes(17));
  const perKey = (performance.now() - started) / 50;
  t.log(`${perKey.toFixed(3)} ms per new engine (net-snmp alone: ~2 ms)`);
  t.true(perKey < 0.5);
});
