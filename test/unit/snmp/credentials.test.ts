import test from 'ava';
import { candidates, credentialLabel, CredentialSchema, describeCredential, type Credential } from '../../../appliance/src/snmp/credentials.ts';

const v2: Credential = { version: '2c', readCommunity: 'public', writeCommunity: 'private' };
const v3: Credential = { version: '3', user: 'admin', authProtocol: 'sha256', authKey: 'authpass123', privProtocol: 'aes256', privKey: 'privpass123' };

test('v2c and v3 authPriv (SHA/SHA-256, AES/AES-256) parse; DES, MD5 and short keys do not', (t) => {
  t.true(CredentialSchema.safeParse(v2).success);
  t.true(CredentialSchema.safeParse(v3).success);
  t.false(CredentialSchema.safeParse({ ...v3, privProtocol: 'des' }).success);
  t.false(CredentialSchema.safeParse({ ...v3, authProtocol: 'md5' }).success);
  t.false(CredentialSchema.safeParse({ ...v3, authKey: 'short' }).success);
  t.false(CredentialSchema.safeParse({ version: '1', community: 'public' }).success);
  t.false(CredentialSchema.safeParse({ version: '2c', readCommunity: '' , writeCommunity: 'x' }).success);
});

test('describeCredential never carries a secret', (t) => {
  const shown = JSON.stringify([describeCredential(v2), describeCredential(v3)]);
  for (const secret of ['public', 'private', 'authpass123', 'privpass123']) t.false(shown.includes(secret));
});

test('candidates: device, default, global in order; the remembered one first', (t) => {
  const g = [v2, v3];
  const set = { device: v3, default: v2, global: g };
  t.deepEqual(candidates(set).map((c) => credentialLabel(c.ref)), ['device', 'default', 'global[0]', 'global[1]']);
  t.deepEqual(candidates({ ...set, preferred: { source: 'global', index: 1 } }).map((c) => credentialLabel(c.ref)),
    ['global[1]', 'device', 'default', 'global[0]']);
  t.deepEqual(candidates({ global: g, preferred: { source: 'device' } }).map((c) => credentialLabel(c.ref)), ['global[0]', 'global[1]']);
});
