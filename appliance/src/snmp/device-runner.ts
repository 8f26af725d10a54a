// The adapter the task engine calls for one device: finds its credentials, talks SNMP through the assessor,
// and hands back a compliance record. The engine stays free of network code; this is where they meet.
import type { Logger } from '../util/log.ts';
import type { Device } from '../devices/index.ts';
import type { RunDevice } from '../tasks/engine.ts';
import { assessAndRemediate } from './assessor.ts';
import type { CredentialRepo } from './credential-repo.ts';
import { credentialLabel } from './credentials.ts';

export function createSnmpDeviceRunner(deps: { credentials: CredentialRepo; timeouts: () => { timeoutMs: number; retries: number }; log: Logger }): RunDevice {
  return async (device: Device, policy, remediate, compatibility) => {
    // The catalog is HP's objects: on another maker's printer a SET could mean anything, so nothing is sent.
    if (device.vendor === 'other') return { record: { status: 'unsupported', settings: [], detail: 'not an HP printer: no catalog setting applies' } };
    // Where the announcement came from (or discovery reached it), never an address an announcement's body
    // claims: otherwise anyone on the LAN could announce a known serial "at" another machine and have its
    // credentials sent there (issue 12 §3).
    const host = device.peerAddress;
    const credentials = await deps.credentials.forDevice(device.serialNumber, device.credentialRef);
    // A credential set for this device is what the admin meant: it is always tried first, so a failing one
    // keeps showing (and alerting) instead of hiding behind the fallback that answered last time.
    if (credentials.device) credentials.preferred = undefined;
    const { timeoutMs, retries } = deps.timeouts();
    const r = await assessAndRemediate({ host, port: device.snmpPort, credentials, policy, remediate, compatibility, timeoutMs, retries }, deps.log);
    const own = r.attempts.find((a) => a.credential === 'device');
    const credentialProblem = own && own.outcome !== 'answered' && r.credential && r.credential.source !== 'device'
      ? `the credential set for this device failed (${own.outcome}: ${own.detail}); the ${credentialLabel(r.credential)} credential answered instead` : undefined;
    return {
      record: {
        status: r.status,
        settings: r.settings.map((s) => ({ id: s.id, expected: s.expected, before: s.before, actual: s.actual, changed: s.changed, compliant: s.compliant,
          supported: s.supported, outcome: s.outcome, deviceAnswer: s.deviceAnswer, setAnswer: s.setAnswer })),
        detail: r.detail,
        roundTrips: r.roundTrips,
        ...(credentialProblem ? { credentialProblem } : {}),
      },
      credentialRef: r.credential,
    };
  };
}
