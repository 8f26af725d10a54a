// A printer's SNMP stack often has a small varbind limit; asked for more, it answers tooBig and the
// manager must split the request. net-snmp's agent has no such limit, so the simulated agent checks
// v1/v2c requests itself (v3 bodies are encrypted; the limit applies to community requests only).
import { header, int, octets, seq, tlv } from './ber.ts';

const REQUEST_PDUS = new Set([0xa0, 0xa1, 0xa3, 0xa5]); // Get, GetNext, Set, GetBulk
const RESPONSE_PDU = 0xa2;
const TOO_BIG = 1;

/** The tooBig Response for a community request carrying more than `max` varbinds; undefined otherwise. */
export function tooBigResponse(buf: Buffer, max: number): Buffer | undefined {
  try {
    const msg = header(buf, 0);
    const version = header(buf, msg.start);
    if (msg.tag !== 0x30 || version.tag !== 0x02 || buf[version.start] > 1) return undefined;
    const community = header(buf, version.end);
    const pdu = header(buf, community.end);
    if (!REQUEST_PDUS.has(pdu.tag)) return undefined;
    const reqId = header(buf, pdu.start);
    const errStatus = header(buf, reqId.end);
    const errIndex = header(buf, errStatus.end);
    const list = header(buf, errIndex.end);
    let count = 0;
    for (let at = list.start; at < list.end; at = header(buf, at).end) count++;
    if (count <= max) return undefined;
    // RFC 3416 §4.2.1: error-status tooBig, error-index 0, an empty variable-bindings list.
    const body = Buffer.concat([buf.subarray(pdu.start, reqId.end), int(0x02, TOO_BIG), int(0x02, 0), seq()]);
    return seq(buf.subarray(msg.start, version.end), octets(buf.subarray(community.start, community.end)), tlv(RESPONSE_PDU, body));
  } catch {
    return undefined;
  }
}
