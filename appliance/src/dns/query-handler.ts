// Decides what an admitted query gets: our own authoritative answer, the upstream's answer, or an error
// code. Transport-agnostic; the listeners hand it guarded bytes and send back whatever it returns.
import type { Logger } from '../system/logger.ts';
import type { Forwarder } from './forwarder.ts';
import { CLASS_ANY, CLASS_IN, TYPE_AXFR, TYPE_IXFR, type LocalZone } from './local-zone.ts';
import type { MessageSummary } from './message-walk.ts';
import type { Transport } from './packet-guard.ts';
import { errorAnswer, fitForUdp, localAnswer, parseQuery, RCODE, udpBudget, type ReplyContext } from './response-builder.ts';

export interface AnswerCounters {
  /** Local answers for hp-print-mgmt (including NODATA). */
  answered: number;
  /** Answers relayed from an upstream or its cache. */
  forwarded: number;
  refused: number;
  servfail: number;
  notimp: number;
  formerr: number;
  badvers: number;
  handlerErrors: number;
}

export class QueryHandler {
  readonly counters: AnswerCounters = { answered: 0, forwarded: 0, refused: 0, servfail: 0, notimp: 0, formerr: 0, badvers: 0, handlerErrors: 0 };
  private readonly ctx: ReplyContext;

  constructor(
    private readonly zone: LocalZone,
    private readonly forwarder: Forwarder,
    private readonly log: Logger,
  ) {
    this.ctx = { recursionAvailable: forwarder.enabled };
  }

  /** The bytes to send back (already fitted to the client's UDP budget). */
  async answer(query: Buffer, summary: MessageSummary, transport: Transport): Promise<Buffer> {
    const response = await this.respond(query, summary);
    return transport === 'udp' ? fitForUdp(response, udpBudget(summary), !!summary.opt) : response;
  }

  private async respond(query: Buffer, summary: MessageSummary): Promise<Buffer> {
    const q = summary.question!;
    if (summary.opcode !== 0) return this.fail(query, summary, RCODE.NOTIMP, 'notimp');
    if (summary.opt && summary.opt.version > 0) return this.fail(query, summary, RCODE.BADVERS, 'badvers');
    if (this.zone.owns(q.name) && (q.class === CLASS_IN || q.class === CLASS_ANY)) {
      if (q.type === TYPE_AXFR || q.type === TYPE_IXFR) return this.fail(query, summary, RCODE.REFUSED, 'refused');
      const request = parseQuery(query);
      if (request.errors.length > 0) return this.fail(query, summary, RCODE.FORMERR, 'formerr');
      this.counters.answered++;
      const records = this.zone.records(q.type);
      this.log.debug({ name: q.name, type: q.type, records: records.length }, 'dns local answer');
      return localAnswer(request, summary, records, this.zone.ttl, this.ctx);
    }
    if (!this.forwarder.enabled) return this.fail(query, summary, RCODE.REFUSED, 'refused');
    const forwarded = await this.forwarder.forward(query, summary);
    if (!forwarded) return this.fail(query, summary, RCODE.SERVFAIL, 'servfail');
    this.counters.forwarded++;
    return forwarded.response;
  }

  private fail(query: Buffer, summary: MessageSummary, rcode: number, counter: keyof AnswerCounters): Buffer {
    this.counters[counter]++;
    return errorAnswer(parseQuery(query), summary, rcode, this.ctx);
  }
}
