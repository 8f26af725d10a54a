/**
 * The certificate chain a TLS client presented, leaf first, as DER.
 *
 * Node 24.21 has a trap here (nodejs/node#65579): on a server socket, `getPeerX509Certificate()` takes the
 * first certificate out of OpenSSL's stack of presented chain certificates. Every later
 * `getPeerCertificate(true)` then lacks that intermediate, so a valid device chain looks like a bare leaf
 * (untrusted-issuer) and a revoked one is never found revoked. `tls.Server` makes that call itself right
 * after the handshake whenever OpenSSL's own verification succeeded, before any user code runs; a server
 * that builds its `TLSSocket`s itself (as the 3329 listener does) is safe as long as nothing calls
 * `getPeerX509Certificate()` before the chain has been read.
 *
 * So the chain is read once, with the non-destructive `getPeerCertificate(true)`, and remembered per
 * socket: whatever other code does to the socket afterwards, every caller sees the chain as presented.
 */
import type { TLSSocket } from 'node:tls';

/** Longest chain we keep; real device PKIs are two or three deep. */
const MAX_CHAIN = 9;

/** Minimal shape of `tls.TLSSocket#getPeerCertificate(true)`; kept structural so tests can build one. */
export interface PeerCertificateLike {
  raw?: Buffer;
  issuerCertificate?: PeerCertificateLike;
}

/**
 * Flattens Node's linked peer certificate into the DER chain, leaf first. Node links a self-signed root to
 * itself, and an empty object means no certificate; both are handled.
 */
export function chainFromPeerCertificate(peer: PeerCertificateLike | undefined | null): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<PeerCertificateLike>();
  for (let cert = peer; cert && cert.raw && !seen.has(cert) && chain.length < MAX_CHAIN; cert = cert.issuerCertificate) {
    seen.add(cert);
    chain.push(cert.raw);
  }
  return chain;
}

const chains = new WeakMap<TLSSocket, Buffer[]>();

/**
 * The presented chain of a server-side TLS socket (empty when the client sent no certificate). Call it
 * when the handshake completes, before anything calls `getPeerX509Certificate()` on the socket; later
 * calls return the same chain.
 */
export function peerCertificateChain(socket: Pick<TLSSocket, 'getPeerCertificate'>): Buffer[] {
  const known = chains.get(socket as TLSSocket);
  if (known) return known;
  const chain = chainFromPeerCertificate(socket.getPeerCertificate(true) as PeerCertificateLike);
  chains.set(socket as TLSSocket, chain);
  return chain;
}
