// Public surface of the snmp room: other rooms import only from here.
export { CredentialRepo } from './credential-repo.ts';
export { CredentialSchema, candidates } from './credentials.ts';
export type { Credential, CredentialSet } from './credentials.ts';
export { createSnmpDeviceRunner } from './device-runner.ts';
export { installKeyCache } from './key-cache.ts';
export { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from './protocols.ts';
export { qualify } from './qualify.ts';
export type { Qualification, QualifyRequest } from './qualify.ts';
export { loadOrCreateKey, secretBox } from './secret-box.ts';
export type { SecretBox } from './secret-box.ts';
