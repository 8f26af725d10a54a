// The listener speaks to devices through a Codec, so a vendor's own framing (once learnt through capture
// mode, HDAP.md §7) can be added beside HDAP/1 without touching the listener.
import { FrameDecoder, FrameType, encodeFrame, type Frame } from './frame.ts';
import { decodeAcknowledge, decodeAnnouncement, type AckDecodeResult, type Acknowledge, type Announcement, type DecodeResult } from './messages.ts';

export interface Codec {
  readonly name: string;
  createDecoder(): { push(chunk: Buffer): Frame[]; readonly bufferedBytes: number };
  decodeAnnouncement(frame: Frame): DecodeResult;
  encodeAcknowledge(ack: Acknowledge): Buffer;
  /** The device and relaying side: an Acknowledge frame's body, validated. */
  decodeAcknowledge(frame: Frame): AckDecodeResult;
  encodeAnnouncement(announcement: Announcement): Buffer;
}

export const hdapCodec: Codec = {
  name: 'HDAP/1',
  createDecoder: () => new FrameDecoder(),
  decodeAnnouncement: (frame) => frame.type === FrameType.Announcement
    ? decodeAnnouncement(frame.body)
    : { ok: false, reason: 'malformed', detail: `expected an Announcement frame, got type ${frame.type}` },
  encodeAcknowledge: (ack) => encodeFrame(FrameType.Acknowledge, ack),
  decodeAcknowledge: (frame) => frame.type === FrameType.Acknowledge
    ? decodeAcknowledge(frame.body)
    : { ok: false, detail: `unexpected frame type ${frame.type}` },
  encodeAnnouncement: (a) => encodeFrame(FrameType.Announcement, a),
};
