// A per-device SNMP credential that fails is not hidden by the fallback that answered (issue 17 §7): the
// record says so, the next run tries the device's own credential first again, and an alert is raised.
// Against a simulated printer's real SNMP agent on loopback.
import test from 'ava';
import { createSnmpDeviceRunner } from '../../appliance/src/snmp/device-runner.ts';
import type { Credential, CredentialRef } from '../../appliance/src/snmp/credentials.ts';
import type { CredentialRepo } from '../../appliance/src/snmp/credential-repo.ts';
import { DEFAULT_USER, startSimAgent } from '../../appliance/src/sim/snmp-agent.ts';
import { DeviceAlerts } from '../../appliance/src/alerts/device-alerts.ts';
import type { Alerts } from '../../appliance/src/alerts/alert-center.ts';
import type { Device } from '../../appliance/src/devices/device.ts';
import type { StoredPolicy } from '../../appliance/src/policy/policy-repo.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';

const GOOD: Credential = { version: '3', user: 'admin', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes', privKey: 'privpass123' };
const WRONG: Credential = { version: '3', user: 'admin', authProtocol: 'sha', authKey: 'not-the-key-1', privProtocol: 'aes', privKey: 'privpass123' };

test('the device credential fails, the default answers: the result names the problem, keeps trying the device credential, and alerts', async (t) => {
  const agent = await startSimAgent({ address: `127.${150 + Math.floor(Math.random() * 50)}.7.9`, users: [DEFAULT_USER] });
  t.teardown(() => agent.stop());
  const repo = { forDevice: async (_s: string, preferred?: CredentialRef) => ({ device: WRONG, default: GOOD, global: [], preferred }) } as unknown as CredentialRepo;
  const run = createSnmpDeviceRunner({ credentials: repo, timeouts: () => ({ timeoutMs: 1500, retries: 0 }), log: silentLogger() });
  const device = { serialNumber: 'CRED1', peerAddress: agent.address, snmpPort: agent.port, model: 'HP LaserJet' } as Device;
  const policy = { id: 'p1', name: 'branch', settings: { telnet: false }, createdAt: '', updatedAt: '' } as StoredPolicy;

  const first = await run(device, policy, true, false);
  t.is(first.record.status, 'remediated');
  t.deepEqual(first.credentialRef, { source: 'default' });
  t.regex(first.record.credentialProblem ?? '', /credential set for this device failed \(auth-failed/);
  t.regex(first.record.credentialProblem ?? '', /the default credential answered/);

  // The fallback is remembered as what answered, yet the device's own credential is tried first again.
  const second = await run({ ...device, credentialRef: first.credentialRef }, policy, true, false);
  t.is(second.record.status, 'compliant');
  t.truthy(second.record.credentialProblem, 'still shown while the device credential fails');

  const raised: { kind: string; key: string; message?: string }[] = [];
  const alerts = { raise: (kind: string, key: string, d?: { message?: string }) => raised.push({ kind, key, message: d?.message }), resolve: () => undefined } as unknown as Alerts;
  new DeviceAlerts(alerts).onDevice({ ...device, compliance: { ...second.record, policyId: 'p1', policyName: 'branch', at: new Date().toISOString(), taskId: 't', run: 1, remediate: true } } as Device, false);
  t.deepEqual(raised.map((r) => [r.kind, r.key]), [['snmp-credentials', 'CRED1']]);
  t.regex(raised[0].message!, /CRED1: the credential set for this device failed/);
});
