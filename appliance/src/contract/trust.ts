import { z } from 'zod';
import { isoTime, open } from './common.ts';

export const trustedCa = open({ subject: z.string(), issuer: z.string(), serial: z.string(), fingerprint: z.string(), notBefore: isoTime,
  notAfter: isoTime, selfSigned: z.boolean() });
export const trustedCas = open({ cas: z.array(trustedCa) });
export const caImported = open({ added: z.array(z.unknown()), alreadyTrusted: z.array(z.unknown()), rejected: z.array(z.unknown()) });
export const crl = open({ issuer: z.string(), thisUpdate: isoTime, nextUpdate: isoTime.optional(), crlNumber: z.string().optional(),
  revokedCount: z.number(), fingerprint: z.string(), stale: z.boolean() });
export const crls = open({ crls: z.array(crl) });
export const crlImported = open({ imported: z.array(z.unknown()), rejected: z.array(z.unknown()), stale: z.number() });
export const identity = open({ subject: z.string(), fingerprint256: z.string(), certificate: z.string(), chain: z.array(z.string()) });
export const identityInstalled = open({ installed: z.literal(true), fingerprint256: z.string() });
export const issuedRecord = open({ serial: z.string(), subject: z.string(), fingerprint: z.string(), notBefore: isoTime, notAfter: isoTime,
  issuedAt: isoTime, revokedAt: isoTime.optional(), reason: z.string().optional() });
export const issued = open({ issued: z.array(issuedRecord) });
export const deviceCertificate = open({ certificate: z.string(), caCertificate: z.string(), record: issuedRecord });
export const serialList = open({
  total: z.number(),
  /** `inDeviceTable`: the device is already known (announced or found before it was listed). */
  serials: z.array(open({ serial: z.string(), addedAt: isoTime, discoveredAt: isoTime.optional(), inDeviceTable: z.boolean() })),
  /** Listed serials neither seen since nor in the device table. */
  pending: z.array(z.string()),
  unlisted: z.array(open({ serial: z.string(), firstSeen: isoTime, lastSeen: isoTime, count: z.number(), peerAddress: z.string(), model: z.string().optional() })),
  /** Devices in the table (not retired) that are not on the list: with the filter on, their announcements are refused. */
  offList: open({ count: z.number(), devices: z.array(open({ serial: z.string(), model: z.string(), lastSeen: isoTime })) }),
});
export type SerialListView = z.infer<typeof serialList>;
/** A list import: counts of every kind of line, and the first 100 problems (api/routes/trust.ts streams the upload). */
export const serialImport = open({
  added: z.number(), duplicates: z.number(), invalidCount: z.number(), listFull: z.number(), lines: z.number(), maxListed: z.number(),
  invalid: z.array(open({ line: z.number(), text: z.string(), reason: z.string() })).max(100),
});
export const serialAdded = open({ added: z.string() });
