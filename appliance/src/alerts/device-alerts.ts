// Alerts that follow from a device's record as the registry reports it: a remediation that left the device
// non-compliant, SNMP credentials it refuses, and a known serial number announcing with another MAC address
// (a formatter replacement — or someone copying a serial). Only a new assessment (compliance.at) or a new MAC
// is acted on, so the announcements in between do not count as repeats.
import type { Device, IdentityChange } from '../devices/index.ts';
import { isIdentityPending } from '../devices/index.ts';
import type { Alerts } from './alert-center.ts';

const OK_FOR_CREDENTIALS = new Set(['compliant', 'remediated', 'non-compliant', 'unsupported']);

export class DeviceAlerts {
  private lastAssessment = new Map<string, string>();
  private mac = new Map<string, string>();
  /** Serials whose open identity alert is about the certificate: it ends when an admin approves the new one. */
  private certPending = new Set<string>();

  constructor(private readonly alerts: Alerts, known: Iterable<Device> = []) {
    for (const d of known) if (d.macAddress) this.mac.set(d.serialNumber, d.macAddress);
  }

  /** Call with each registry 'identity' event: the certificate a known serial presents changed. */
  onIdentity(device: Device, change: IdentityChange): void {
    const name = (c: IdentityChange['from']) => (c ? `${c.subject || 'certificate'} (${c.fingerprint256.slice(0, 23)}…)` : 'no certificate');
    this.certPending.add(device.serialNumber);
    this.alerts.raise('device-identity-changed', device.serialNumber, {
      message: `${device.serialNumber} now presents ${name(change.to)} instead of ${name(change.from)}, from ${change.toAddress} (was ${change.fromAddress}): approve it on the device page if expected`,
      reason: 'certificate', from: change.from?.fingerprint256 ?? null, to: change.to?.fingerprint256 ?? null, peer: change.toAddress });
  }

  /** Call with each registry 'device' event; `announced` is false for devices found by discovery (no MAC claim). */
  onDevice(device: Device, announced = true): void {
    const serial = device.serialNumber;
    const prevMac = this.mac.get(serial);
    if (announced && prevMac && device.macAddress && prevMac.toLowerCase() !== device.macAddress.toLowerCase()) {
      this.alerts.raise('device-identity-changed', serial, { message: `${serial} now announces with MAC ${device.macAddress} (was ${prevMac}): formatter replaced, or another device uses this serial`,
        reason: 'mac', from: prevMac, to: device.macAddress, peer: device.peerAddress, model: device.model });
    }
    if (announced && device.macAddress) this.mac.set(serial, device.macAddress);
    if (this.certPending.has(serial) && !isIdentityPending(device)) {
      this.certPending.delete(serial);
      this.alerts.resolve('device-identity-changed', serial);
    }

    const c = device.compliance;
    if (!c || this.lastAssessment.get(serial) === c.at) return;
    this.lastAssessment.set(serial, c.at);
    if (c.status === 'non-compliant' && c.remediate) {
      const bad = c.settings.filter((s) => s.supported && !s.compliant).map((s) => s.id);
      this.alerts.raise('device-noncompliant', serial, { message: `${serial} is still non-compliant with "${c.policyName}" after remediation (${bad.join(', ') || 'see the device'})`,
        policy: c.policyName, settings: bad.join(','), task: c.taskId, model: device.model });
    } else if (c.status === 'compliant' || c.status === 'remediated') {
      this.alerts.resolve('device-noncompliant', serial);
    }
    if (c.status === 'auth-failed') {
      this.alerts.raise('snmp-credentials', serial, { message: `${serial} refused every SNMP credential${c.detail ? `: ${c.detail}` : ''}`,
        address: device.ipv4 ?? device.peerAddress, model: device.model });
    } else if (c.credentialProblem) {
      // A fallback worked, so the device was assessed; the credential an admin set for it still does not.
      this.alerts.raise('snmp-credentials', serial, { message: `${serial}: ${c.credentialProblem}`, address: device.ipv4 ?? device.peerAddress, model: device.model });
    } else if (OK_FOR_CREDENTIALS.has(c.status)) {
      this.alerts.resolve('snmp-credentials', serial);
    }
  }
}
