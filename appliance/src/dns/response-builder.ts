// Builds the responses the appliance writes itself (local answers, REFUSED, SERVFAIL, NOTIMP, BADVERS)
// with dns2's Packet, and fits any response — ours or an upstream's — into the client's UDP budget.
import dns2 from 'dns2';
import { walkMessage, type MessageSummary } from './message-walk.ts';
import { CLASS_IN, type LocalRecord } from './local-zone.ts';

const { Packet } = dns2;
type DnsPacket = InstanceType<typeof Packet>;

/** RFC 6891 payload size we advertise: the 2020 DNS flag-day value, safe against fragmentation. */
export const OUR_EDNS_PAYLOAD = 1232;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

export interface ReplyContext {
  /** Whether we offer recursion (upstreams are configured). */
  recursionAvailable: boolean;
}

/**
 * Largest response we send over UDP: 512 without EDNS; with EDNS the client's advertised size (RFC 6891
 * §6.2.5: below 512 counts as 512), but never more than the 1232 we advertise ourselves — a larger
 * datagram fragments, and forged fragments are a known way to poison a resolver's cache. Anything larger
 * goes out truncated (TC) and the client asks again over TCP.
 */
export function udpBudget(summary: MessageSummary): number {
  if (!summary.opt) return 512;
  return Math.min(Math.max(summary.opt.udpSize, 512), OUR_EDNS_PAYLOAD);
}

function baseResponse(request: DnsPacket, summary: MessageSummary, ctx: ReplyContext, rcode: number): DnsPacket {
  const response = Packet.createResponseFromRequest(request);
  response.header.ra = ctx.recursionAvailable ? 1 : 0;
  response.header.rcode = rcode;
  // Only echo EDNS when the client spoke it (RFC 6891 §7); dns2 splits rcodes > 15 into the OPT TTL.
  if (summary.opt) response.additionals.push(Packet.Resource.EDNS([], { udpPayloadSize: OUR_EDNS_PAYLOAD }) as never);
  return response;
}

/** An authoritative answer for an owned name; empty `records` yields NOERROR/NODATA. */
export function localAnswer(request: DnsPacket, summary: MessageSummary, records: LocalRecord[], ttl: number, ctx: ReplyContext): Buffer {
  const response = baseResponse(request, summary, ctx, RCODE.NOERROR);
  response.header.aa = 1;
  const owner = summary.question?.name ?? '';
  for (const r of records) {
    response.answers.push({ name: owner, type: r.type, class: CLASS_IN, ttl, address: r.address } as DnsPacket['answers'][number]);
  }
  return response.toBuffer();
}

export function errorAnswer(request: DnsPacket, summary: MessageSummary, rcode: number, ctx: ReplyContext): Buffer {
  return baseResponse(request, summary, ctx, rcode).toBuffer();
}

const MINIMAL_OPT = (() => {
  // root owner, TYPE 41, CLASS = payload size, TTL 0, RDLENGTH 0
  const b = Buffer.alloc(11);
  b.writeUInt16BE(41, 1);
  b.writeUInt16BE(OUR_EDNS_PAYLOAD, 3);
  return b;
})();

/**
 * RFC 1035 §4.2.1 / RFC 2181 §9: a response too large for the client's UDP budget goes out as header +
 * question with TC=1 (plus OPT when the client used EDNS), so the client retries over TCP.
 */
export function fitForUdp(response: Buffer, budget: number, withOpt: boolean): Buffer {
  if (response.length <= budget) return response;
  const walked = walkMessage(response);
  const q = walked.ok ? walked.summary.question : undefined;
  const questionEnd = q ? q.nameEnd + 4 : 12;
  const head = Buffer.from(response.subarray(0, questionEnd));
  head.writeUInt16BE(q ? 1 : 0, 4);
  head[2] |= 0x02;
  head.writeUInt16BE(0, 6);
  head.writeUInt16BE(0, 8);
  head.writeUInt16BE(withOpt ? 1 : 0, 10);
  return withOpt ? Buffer.concat([head, MINIMAL_OPT]) : head;
}

/**
 * RFC 6891 §7: a client that sent OPT gets OPT back — ours. An upstream that ignores EDNS answers without
 * one: append ours rather than relay a reply the client may treat as coming from an EDNS-unaware server.
 * An upstream's OPT is hop-by-hop (§6.1.1) and advertises *its* payload size: it gets ours instead, so a
 * client never reads 4096 from us while we send it at most 1232.
 */
export function ownOpt(response: Buffer): Buffer {
  const walked = walkMessage(response);
  if (!walked.ok) return response;
  const opt = walked.summary.records.find((r) => r.type === TYPE_OPT);
  if (opt) {
    // CLASS of the OPT record (just before its TTL) is the sender's UDP payload size.
    if (response.readUInt16BE(opt.ttlOffset - 2) === OUR_EDNS_PAYLOAD) return response;
    const out = Buffer.from(response);
    out.writeUInt16BE(OUR_EDNS_PAYLOAD, opt.ttlOffset - 2);
    return out;
  }
  const out = Buffer.concat([response, MINIMAL_OPT]);
  out.writeUInt16BE(walked.summary.arcount + 1, 10);
  return out;
}

const TYPE_OPT = 41;

export function parseQuery(buf: Buffer): DnsPacket {
  return Packet.parse(buf);
}
