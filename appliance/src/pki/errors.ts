/**
 * Typed PKI errors. `code` is stable and meant for API answers and logs (users look it up); `message` is
 * for people.
 */
export type PkiErrorCode =
  | 'malformed' // input is not the DER/PEM structure it claims to be
  | 'empty' // no certificate / CRL block found in the input
  | 'not-a-ca' // a trusted-CA import that is not a CA certificate
  | 'untrusted-issuer' // a CRL (or chain) whose issuer is not in the trust store
  | 'bad-signature' // a signature that does not verify
  | 'unsupported-algorithm' // a signature or key algorithm we do not implement
  | 'key-mismatch' // a certificate whose public key is not the given private key
  | 'chain-broken' // a chain whose links do not verify
  | 'not-issued-here' // revoking a serial the appliance CA never issued
  | 'weak-key'
  | 'unsupported-key' // DSA, explicit EC curve parameters, an RSA modulus that is not whole bytes
  | 'unsupported-version' // an X.509 v1/v2 certificate where v3 is required
  | 'duplicate-extension' // the same extension twice (RFC 5280 §4.2)
  | 'unknown-critical-extension' // a critical extension we do not process (RFC 5280 §4.2, §5.2)
  | 'not-crl-signer' // a CRL signed by a CA whose keyUsage lacks cRLSign
  | 'wrong-kind'; // an upload of the wrong kind: a CRL where a certificate belongs, a private key, a CSR

export class PkiError extends Error {
  readonly code: PkiErrorCode;
  constructor(code: PkiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PkiError';
    this.code = code;
  }
}

export function isPkiError(value: unknown): value is PkiError {
  return value instanceof PkiError;
}

/**
 * Runs a parser and turns any unexpected exception (a RangeError from a truncated field, a TypeError from
 * a missing one) into `PkiError('malformed')`, so callers only ever see typed errors for bad input.
 */
export function parsing<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isPkiError(error)) throw error;
    throw new PkiError('malformed', `${what} is malformed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}
