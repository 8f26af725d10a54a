// Decides what an admitted query gets: our own authoritative answer, the upstream's answer, or an error
// code. Transport-agnostic; the listeners hand it guarded bytes and send back whatever it returns.
import type { Logger } from '../util/log.ts';
import type { ClientAllowList } from './client-allow.ts';
import type { Forwarder } from './forwarder.ts';
import { canonicalName, CLASS_ANY, CLASS_IN, TYPE_AXFR, TYPE_IXFR, type LocalZone } from './local-zone.ts';
import type { MessageSummary } from './message-walk.ts';
import type { Transport } from './packet-guard.ts';
import { ownOpt, errorAnswer, fitForUdp, localAnswer, parseQuery, RCODE, udpBudget, type ReplyContext } from './response-builder.ts';

export interface AnswerCounters {
  /** Local answers for hp-print-mgmt (including NODATA). */
  answered: number;
  /** Answers relayed from an upstream or its cache. */
  forwarded: number;
  refused: number;
  /** Of those refused: a name we would forward, asked by a client outside dnsAllowFrom. */
  refusedNotAllowed: number;
  servfail: number;
  notimp: number;
  formerr: number;
  badvers: number;
  handlerErrors: number;
}

export class QueryHandler {
  readonly counters: AnswerCounters = { answered: 0, forwarded: 0, refused: 0, refusedNotAllowed: 0, servfail: 0, notimp: 0, formerr: 0, badvers: 0, handlerErrors: 0 };
  private readonly ctx: ReplyContext;
  /** What a client outside dnsAllowFrom is told: no recursion here (RFC 1035 §4.1.1 RA). */
  private readonly noRecursion: ReplyContext = { recursionAvailable: false };
  private readonly templates = new Map<string, Buffer>();

  constructor(
    private readonly zone: LocalZone,
    private readonly forwarder: Forwarder,
    private readonly log: Logger,
    private readonly allowed: ClientAllowList,
  ) {
    this.ctx = { recursionAvailable: forwarder.enabled };
  }

  /**
   * Our own reply, computed synchronously (no promise per query on the hot path); null when the query
   * must go to an upstream — then call answerForwarded.
   */
  answerLocally(query: Buffer, summary: MessageSummary, transport: Transport, source: string): Buffer | null {
    const response = this.respondLocally(query, summary, source);
    return response && this.fit(response, summary, transport);
  }

  async answerForwarded(query: Buffer, summary: MessageSummary, transport: Transport): Promise<Buffer> {
    const forwarded = await this.forwarder.forward(query, summary);
    if (!forwarded) return this.fit(this.fail(query, summary, RCODE.SERVFAIL, 'servfail'), summary, transport);
    this.counters.forwarded++;
    return this.fit(summary.opt ? ownOpt(forwarded.response) : forwarded.response, summary, transport);
  }

  private fit(response: Buffer, summary: MessageSummary, transport: Transport): Buffer {
    return transport === 'udp' ? fitForUdp(response, udpBudget(summary), !!summary.opt) : response;
  }

  private respondLocally(query: Buffer, summary: MessageSummary, source: string): Buffer | null {
    const q = summary.question!;
    if (summary.opcode !== 0) return this.fail(query, summary, RCODE.NOTIMP, 'notimp');
    if (summary.opt && summary.opt.version > 0) return this.fail(query, summary, RCODE.BADVERS, 'badvers');
    if (this.zone.owns(q.name) && (q.class === CLASS_IN || q.class === CLASS_ANY)) {
      if (q.type === TYPE_AXFR || q.type === TYPE_IXFR) return this.fail(query, summary, RCODE.REFUSED, 'refused');
      // dns2 parses every admitted query (it is the parser of record; FORMERR comes from it) ...
      const request = parseQuery(query);
      if (request.errors.length > 0) return this.fail(query, summary, RCODE.FORMERR, 'formerr');
      this.counters.answered++;
      this.log.debug({ name: q.name, type: q.type }, 'dns local answer');
      // ... but its bit-by-bit encoder is the slow half, and our answers only vary by id, RD and the
      // question's spelling: encode once per (name, type, class, EDNS) and patch those bytes.
      const key = `${canonicalName(q.name)}|${q.type}|${q.class}|${summary.opt ? 1 : 0}`;
      const template = this.templates.get(key);
      if (template) return patchTemplate(template, query, q.nameEnd);
      const response = localAnswer(request, summary, this.zone.records(q.type), this.zone.ttl, this.ctx);
      if (sameQuestionLayout(response, query, q.nameEnd)) {
        if (this.templates.size >= MAX_TEMPLATES) this.templates.clear();
        this.templates.set(key, response);
      }
      return response;
    }
    if (!this.forwarder.enabled) return this.fail(query, summary, RCODE.REFUSED, 'refused');
    // hp-print-mgmt above is answered to anyone (printers on a routed VLAN must find it); forwarding is not.
    if (!this.allowed.allows(source)) {
      this.counters.refusedNotAllowed++;
      this.log.debug({ source, name: q.name }, 'dns forwarding refused: client not in dnsAllowFrom');
      return this.fail(query, summary, RCODE.REFUSED, 'refused', this.noRecursion);
    }
    return null;
  }

  private fail(query: Buffer, summary: MessageSummary, rcode: number, counter: keyof AnswerCounters, ctx = this.ctx): Buffer {
    this.counters[counter]++;
    return errorAnswer(parseQuery(query), summary, rcode, ctx);
  }
}

const MAX_TEMPLATES = 256;

/** The template answered a query whose question occupies the same octets, differing at most in case. */
function sameQuestionLayout(response: Buffer, query: Buffer, nameEnd: number): boolean {
  if (response.length < nameEnd + 4) return false;
  return response.toString('latin1', 12, nameEnd + 4).toLowerCase() === query.toString('latin1', 12, nameEnd + 4).toLowerCase();
}

function patchTemplate(template: Buffer, query: Buffer, nameEnd: number): Buffer {
  const out = Buffer.from(template);
  query.copy(out, 0, 0, 2); // id
  out[2] = (out[2] & 0xfe) | (query[2] & 0x01); // RD is echoed
  query.copy(out, 12, 12, nameEnd); // the question as spelled (answers point at it via compression)
  return out;
}
