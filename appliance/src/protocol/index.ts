// Public surface of the protocol room: other rooms import only from here.
export { hdapCodec } from './codec.ts';
export type { Codec } from './codec.ts';
export { FrameError } from './frame.ts';
export type { Frame } from './frame.ts';
export { ANNOUNCE_REASONS, serialNumberSchema } from './messages.ts';
export type { AckReason, Acknowledge, AnnounceReason, AnnouncedDevice, Announcement, ForwardHop } from './messages.ts';
export { unsafeCharacter } from './messages.ts';
