// The one TLS profile of the appliance, used by the announcement listener (3329) and the admin web port, so
// both offer exactly the same (docs/security.md, "TLS"). What it leaves out costs only clients that predate
// TLS 1.2 with ECDHE+GCM (roughly before 2013); HDAP.md §2 asks for TLS 1.2 or 1.3 anyway.
//  - TLS 1.2 and 1.3 only.
//  - TLS 1.2: ECDHE key exchange (forward secrecy) with AEAD ciphers (AES-GCM, ChaCha20-Poly1305) only —
//    no static-RSA key exchange, no CBC, no SHA-1 MACs, no finite-field DHE (its group size is ours to get
//    wrong, and nothing that speaks TLS 1.2 lacks ECDHE).
//  - TLS 1.3: its three standard AEAD suites.
//  - The server picks the suite (strongest first), not the client.
//  - Renegotiation refused outright (SSL_OP_NO_RENEGOTIATION): a client-initiated renegotiation costs us a
//    private-key operation each time, and nothing on these ports needs one. Node's HTTPS server merely
//    limits it to 3 per 10 minutes; a bare TLSSocket (3329) does not even do that.
//  - No TLS compression (CRIME); OpenSSL 3 has none anyway.
import { constants } from 'node:crypto';
import type tls from 'node:tls';

export const TLS_MIN_VERSION = 'TLSv1.2' as const;

/** OpenSSL names, preference order: AES-128-GCM first (fast on the Pi's Cortex-A53 with its AES instructions), then the rest. */
export const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
export const TLS12_SUITES = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
];

/** Key-exchange groups offered, strongest-and-fastest first. */
export const TLS_GROUPS = 'X25519:P-256:P-384';

/** The protocol and cipher part of every secure context the appliance creates as a server. */
export const tlsProfile = {
  minVersion: TLS_MIN_VERSION,
  ciphers: [...TLS13_SUITES, ...TLS12_SUITES].join(':'),
  ecdhCurve: TLS_GROUPS,
  honorCipherOrder: true,
  secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
} satisfies tls.SecureContextOptions;

/**
 * Server options with the appliance identity: the profile plus key and certificate chain.
 * `resumption: false` (3329): no session tickets, so every announcement is a full handshake in which the
 * device presents its whole certificate chain — a resumed session carries only the leaf, and its checks
 * (revocation, trusted CAs) would be those of the first connection. It also avoids what a bare TLSSocket
 * with requestCert does on resumption without a session id context: abort with an internal_error alert.
 */
export function serverTlsOptions(identity: { key: string; cert: string; ca?: string[] }, opts: { resumption?: boolean } = {}): tls.SecureContextOptions {
  const secureOptions = tlsProfile.secureOptions | (opts.resumption === false ? constants.SSL_OP_NO_TICKET : 0);
  return { ...tlsProfile, secureOptions, key: identity.key, cert: identity.cert, ca: identity.ca && identity.ca.length ? identity.ca : undefined };
}
