// Public surface of the pki room: other rooms import only from here.
export { ApplianceCa } from './appliance-ca.ts';
export { CrlList } from './crl-list.ts';
export { loadOrCreateIdentity } from './identity.ts';
export type { Identity } from './identity.ts';
export { IdentityHolder } from './identity-holder.ts';
export { MAX_PKI_INPUT } from './pem.ts';
export { serverTlsOptions } from './tls-profile.ts';
export { TrustRepo } from './trust-repo.ts';
export { TrustStore } from './trust-store.ts';
export { peerCertificateChain } from './verify-client.ts';
