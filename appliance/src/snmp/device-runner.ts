// The adapter the task engine calls for one device: finds its credentials, talks SNMP through the assessor,
// and hands back a compliance record. The engine stays free of network code; this is where they meet.
import type { Logger } from '../util/log.ts';
import type { Device } from '../devices/index.ts';
import type { RunDevice } from '../tasks/index.ts';
import type { Policy } from '../policy/index.ts';
import { isSealed, type StoredPolicy } from '../policy/index.ts';
import { assessAndRemediate } from './assessor.ts';
import type { CredentialRepo } from './credential-repo.ts';
import { credentialLabel } from './credentials.ts';

export function createSnmpDeviceRunner(deps: { credentials: CredentialRepo; timeouts: () => { timeoutMs: number; retries: number }; log: Logger;
  /** The stored policy with its secrets opened (policy-repo.ts plain()); only here, for the run. Without it a policy may hold no secret. */
  openPolicy?: (p: StoredPolicy) => Policy }): RunDevice {
  const openPolicy = deps.openPolicy ?? ((p: StoredPolicy): Policy => {
    if (Object.values(p.settings).some(isSealed)) throw new Error(`policy ${p.name} holds a sealed secret and this runner cannot open it`);
    return { name: p.name, settings: p.settings as Policy['settings'] };
  });
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
    const r = await assessAndRemediate({ host, port: device.snmpPort, credentials, policy: openPolicy(policy), remediate, compatibility, timeoutMs, retries }, deps.log);
    const own = r.attempts.find((a) => a.credential === 'device');
    const credentialProblem = own && own.outcome !== 'answered' && r.credential && r.credential.source !== 'device'
      ? `the credential set for this device failed (${own.outcome}: ${own.detail}); the ${credentialLabel(r.credential)} credential answered instead` : undefined;
    return {
      record: {
        status: r.status,
        settings: r.settings.map((s) => ({ id: s.id, expected: s.expected, before: s.before, actual: s.actual, changed: s.changed, compliant: s.compliant,
          supported: s.supported, outcome: s.outcome, deviceAnswer: s.deviceAnswer, setAnswer: s.setAnswer, ...(s.note ? { note: s.note } : {}) })),
        detail: r.detail,
        roundTrips: r.roundTrips,
        ...(credentialProblem ? { credentialProblem } : {}),
      },
      credentialRef: r.credential,
    };
  };
}
