// Capture mode (HDAP.md §7): what a connection that does not speak HDAP/1 sent, with its TLS parameters, so
// a real device's vendor framing can be studied. Bounded: at most 4 KiB per record, at most N records.
export const CAPTURE_BYTES = 4096;

export interface CaptureRecord {
  at: string;
  peerAddress: string;
  tlsVersion: string | null;
  cipher: string | null;
  sni: string | null;
  clientCert?: { subject: string; fingerprint256: string };
  bytes: number;
  /** The first bytes of the decrypted stream, base64. */
  dataBase64: string;
}

export interface CaptureSink { save(record: CaptureRecord): Promise<void> }
