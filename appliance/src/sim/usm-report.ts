// net-snmp's agent silently drops an SNMPv3 request whose digest or encryption does not check out,
// while real agents (Net-SNMP's snmpd, printers) answer with a usmStats Report (RFC 3414 §3.2 step 6/8).
// The simulated printers should behave like the real ones, so this builds that Report by hand: a few
// BER helpers (ber.ts), enough to read the request's msgID/flags and write one unauthenticated Report PDU.
import { header, int, octets, oid, readInt, seq, tlv } from './ber.ts';

/** RFC 3414 usmStats counters we report. */
export const USM_WRONG_DIGESTS = '1.3.6.1.6.3.15.1.1.5.0';
export const USM_DECRYPTION_ERRORS = '1.3.6.1.6.3.15.1.1.6.0';
// What net-snmp's own agent engine reports (it never advances its clock), so our Report agrees with it.
const ENGINE_BOOTS = 0;
const ENGINE_TIME = 10;

/** msgID and whether the sender asked for reports; undefined when the datagram is not SNMPv3. */
export function parseV3Header(buf: Buffer): { msgId: number; reportable: boolean } | undefined {
  try {
    const msg = header(buf, 0);
    const version = header(buf, msg.start);
    if (msg.tag !== 0x30 || version.tag !== 0x02 || readInt(buf, version.start, version.end) !== 3) return undefined;
    const global = header(buf, version.end);
    const msgId = header(buf, global.start);
    const maxSize = header(buf, msgId.end);
    const flags = header(buf, maxSize.end);
    return { msgId: readInt(buf, msgId.start, msgId.end), reportable: (buf[flags.start] & 0x04) !== 0 };
  } catch {
    return undefined;
  }
}

/** An unauthenticated SNMPv3 Report carrying one usmStats counter, answering msgId. */
export function buildUsmReport(msgId: number, engineId: Buffer, counterOid: string, count: number): Buffer {
  const usm = seq(octets(engineId), int(0x02, ENGINE_BOOTS), int(0x02, ENGINE_TIME), octets(''), octets(''), octets(''));
  const varbind = seq(oid(counterOid), int(0x41, count));
  const pdu = tlv(0xa8, Buffer.concat([int(0x02, 0), int(0x02, 0), int(0x02, 0), seq(varbind)]));
  const scoped = seq(octets(engineId), octets(''), pdu);
  const global = seq(int(0x02, msgId), int(0x02, 65507), octets(Buffer.from([0x00])), int(0x02, 3));
  return seq(int(0x02, 3), global, octets(usm), scoped);
}
