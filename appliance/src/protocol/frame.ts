// HDAP/1 framing (HDAP.md §3): "HDAP" | version 1 | type | u32 BE length | UTF-8 JSON body.
// The decoder is incremental: TLS hands us arbitrary chunks, and a slow or hostile peer must not make us
// buffer more than one frame's limit.
export const MAGIC = Buffer.from('HDAP', 'ascii');
export const VERSION = 1;
export const HEADER_BYTES = 10;
export const MAX_BODY_BYTES = 65_536;

export enum FrameType { Announcement = 1, Acknowledge = 2 }

export interface Frame { version: number; type: FrameType; body: Buffer }

/** Why a byte stream is not (or no longer) HDAP/1. Each maps to what the listener does (HDAP.md §3). */
export type FrameErrorCode = 'bad-magic' | 'unsupported-version' | 'bad-type' | 'too-large';

export class FrameError extends Error {
  constructor(readonly code: FrameErrorCode, message: string) { super(message); }
}

export function encodeFrame(type: FrameType, body: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  if (json.length > MAX_BODY_BYTES) throw new FrameError('too-large', `body of ${json.length} bytes exceeds ${MAX_BODY_BYTES}`);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt8(VERSION, 4);
  header.writeUInt8(type, 5);
  header.writeUInt32BE(json.length, 6);
  return Buffer.concat([header, json]);
}

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxBody = MAX_BODY_BYTES) {}

  get bufferedBytes(): number { return this.buffered; }

  /** Feeds bytes; returns every whole frame now available. Throws FrameError as soon as the header is bad. */
  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    while (this.buffered > 0) {
      const head = this.peek(Math.min(this.buffered, HEADER_BYTES));
      // Check magic on as few bytes as have arrived, so garbage is refused without waiting for 10 bytes.
      const magicPart = head.subarray(0, Math.min(4, head.length));
      if (!MAGIC.subarray(0, magicPart.length).equals(magicPart)) throw new FrameError('bad-magic', 'stream does not start with HDAP');
      if (head.length < HEADER_BYTES) break;
      const version = head.readUInt8(4);
      const type = head.readUInt8(5);
      const length = head.readUInt32BE(6);
      if (version !== VERSION) throw new FrameError('unsupported-version', `version ${version} is not supported`);
      if (type !== FrameType.Announcement && type !== FrameType.Acknowledge) throw new FrameError('bad-type', `frame type ${type} is unknown`);
      if (length > this.maxBody) throw new FrameError('too-large', `announced body of ${length} bytes exceeds ${this.maxBody}`);
      if (this.buffered < HEADER_BYTES + length) break;
      const all = this.take(HEADER_BYTES + length);
      frames.push({ version, type, body: all.subarray(HEADER_BYTES) });
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.chunks.length > 1 && this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return all.subarray(0, n);
  }
}
