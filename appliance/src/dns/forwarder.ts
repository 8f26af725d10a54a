// Everything that is not `hp-print-mgmt` goes to the branch's real resolvers, tried in order. The client's
// query travels unchanged except for a fresh random id (RFC 5452), and the reply comes back verbatim with
// the client's id and question spelling restored — so NXDOMAIN, EDNS and unknown types relay faithfully.
import { randomInt } from 'node:crypto';
import type { Logger } from '../util/log.ts';
import { AnswerCache } from './answer-cache.ts';
import type { MessageSummary } from './message-walk.ts';
import { queryUpstream, type Upstream } from './upstream-client.ts';

export interface ForwarderStats {
  cacheHits: number;
  upstreamQueries: number;
  tcpFallbacks: number;
  upstreamFailures: number;
}

export interface Forwarded {
  response: Buffer;
  fromCache: boolean;
}

export class Forwarder {
  private readonly counters: ForwarderStats = { cacheHits: 0, upstreamQueries: 0, tcpFallbacks: 0, upstreamFailures: 0 };
  private lastWarnAt = -Infinity;

  constructor(
    private readonly upstreams: Upstream[],
    private readonly timeoutMs: number,
    private readonly log: Logger,
    private readonly cache: AnswerCache = new AnswerCache(),
  ) {}

  get enabled(): boolean {
    return this.upstreams.length > 0;
  }

  stats(): ForwarderStats & { cacheEntries: number } {
    return { ...this.counters, cacheEntries: this.cache.size };
  }

  /** The relayed response, or null when every upstream failed (the caller answers SERVFAIL). */
  async forward(query: Buffer, qs: MessageSummary): Promise<Forwarded | null> {
    const key = AnswerCache.key(qs);
    if (key) {
      const cached = this.cache.get(key, qs.id);
      if (cached) {
        this.counters.cacheHits++;
        return { response: restoreQuestionSpelling(cached, query, qs), fromCache: true };
      }
    }
    const upstreamId = randomInt(0x10000);
    const outbound = Buffer.from(query);
    outbound.writeUInt16BE(upstreamId, 0);
    const outboundSummary: MessageSummary = { ...qs, id: upstreamId };
    for (const up of this.upstreams) {
      this.counters.upstreamQueries++;
      try {
        const reply = await queryUpstream(up, outbound, outboundSummary, this.timeoutMs);
        if (reply.via === 'tcp') this.counters.tcpFallbacks++;
        const response = Buffer.from(reply.response);
        response.writeUInt16BE(qs.id, 0);
        if (key) this.cache.put(key, response, reply.summary);
        return { response: restoreQuestionSpelling(response, query, qs), fromCache: false };
      } catch (err) {
        this.counters.upstreamFailures++;
        // A dead upstream fails every forwarded query: warn once per interval, the rest at debug.
        const now = performance.now();
        const loud = now - this.lastWarnAt >= 10_000;
        if (loud) this.lastWarnAt = now;
        this.log[loud ? 'warn' : 'debug'](
          { upstream: up.label, name: qs.question?.name, err: (err as Error).message, failuresSoFar: this.counters.upstreamFailures },
          'dns upstream failed',
        );
      }
    }
    return null;
  }
}

/**
 * Clients that randomise the case of their query (0x20 encoding) check that the reply echoes it; the
 * upstream or the cache may hold another spelling of the same-length name at the same offset.
 */
function restoreQuestionSpelling(response: Buffer, query: Buffer, qs: MessageSummary): Buffer {
  const end = qs.question?.nameEnd;
  if (end === undefined || response.length < end) return response;
  if (response.subarray(12, end).toString('latin1').toLowerCase() === query.subarray(12, end).toString('latin1').toLowerCase()) {
    query.copy(response, 12, 12, end);
  }
  return response;
}
