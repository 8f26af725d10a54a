// Alerts that follow from device records: remediation that did not stick, refused credentials, a new MAC for a
// known serial, a new certificate (ended by the admin's approval).
import test from 'ava';
import { DeviceAlerts } from '../../../appliance/src/alerts/device-alerts.ts';
import type { Device } from '../../../appliance/src/devices/device.ts';

function recorder() {
  const log: string[] = [];
  return { log, alerts: { raise: (k: string, key: string) => log.push(`raise ${k} ${key}`), resolve: (k: string, key: string) => log.push(`resolve ${k} ${key}`) } };
}
const dev = (over: Partial<Device>): Device => ({ serialNumber: 'SN1', macAddress: '02:00:00:00:00:01', model: 'M', peerAddress: '10.0.0.9', ...over }) as Device;
const compliance = (status: string, at: string, remediate = true) => ({ status, at, remediate, policyName: 'P', policyId: 'p', taskId: 't', run: 1,
  settings: [{ id: 'telnet', supported: true, compliant: status !== 'non-compliant' }] }) as unknown as Device['compliance'];

test('non-compliant after remediation and refused credentials: raised on a new assessment, resolved by a good one', (t) => {
  const r = recorder();
  const d = new DeviceAlerts(r.alerts as never);
  d.onDevice(dev({ compliance: compliance('non-compliant', '1') }));
  d.onDevice(dev({ compliance: compliance('non-compliant', '1') })); // the same assessment seen again: nothing
  d.onDevice(dev({ compliance: compliance('non-compliant', '2', false) })); // an assessment without remediation: no alert
  d.onDevice(dev({ compliance: compliance('auth-failed', '3') }));
  d.onDevice(dev({ compliance: compliance('remediated', '4') }));
  t.deepEqual(r.log, ['raise device-noncompliant SN1', 'resolve snmp-credentials SN1', 'resolve snmp-credentials SN1',
    'raise snmp-credentials SN1', 'resolve device-noncompliant SN1', 'resolve snmp-credentials SN1']);
});

test('a new MAC from an announcement is an identity change; discovery (no MAC claim) is not', (t) => {
  const r = recorder();
  const d = new DeviceAlerts(r.alerts as never, [dev({})]);
  d.onDevice(dev({ macAddress: '' }), false);
  d.onDevice(dev({ macAddress: '02:00:00:00:00:01'.toUpperCase() }));
  t.deepEqual(r.log, []);
  d.onDevice(dev({ macAddress: '02:ff:00:00:00:02' }));
  t.deepEqual(r.log, ['raise device-identity-changed SN1']);
});

test('a new certificate raises the identity alert; approving it resolves it', (t) => {
  const r = recorder();
  const d = new DeviceAlerts(r.alerts as never);
  const a = { subject: 'CN=a', fingerprint256: 'AA:AA' };
  const b = { subject: 'CN=b', fingerprint256: 'BB:BB' };
  d.onIdentity(dev({ clientCert: b, trustedCert: a }), { at: '1', from: a, to: b, fromAddress: '10.0.0.9', toAddress: '10.0.0.66' });
  d.onDevice(dev({ clientCert: b, trustedCert: a })); // still pending
  d.onDevice(dev({ clientCert: b, trustedCert: b })); // approved
  t.deepEqual(r.log, ['raise device-identity-changed SN1', 'resolve device-identity-changed SN1']);
});
