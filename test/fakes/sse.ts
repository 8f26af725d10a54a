// A server-sent-events client for GET /api/v1/events over the real HTTPS port: collects the frames it gets
// and says when the server ended the stream.
import { request } from 'node:https';

export interface EventStream {
  status: Promise<number>;
  /** Raw text received so far. */
  text(): string;
  /** `event:` names received so far, in order. */
  events(): string[];
  /** Resolves when the server (or the network) ended the stream. */
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

export function openEvents(port: number, headers: Record<string, string>, path = '/api/v1/events'): EventStream {
  let text = '';
  let ended = false;
  let done!: () => void;
  const endedP = new Promise<void>((r) => { done = () => { ended = true; r(); }; });
  let setStatus!: (n: number) => void;
  const status = new Promise<number>((r) => { setStatus = r; });
  const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, headers }, (res) => {
    setStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (c: string) => { text += c; });
    res.on('end', done);
    res.on('close', done);
    res.on('error', done);
  });
  req.on('error', () => { setStatus(0); done(); });
  req.end();
  return {
    status, ended: endedP, text: () => text, isEnded: () => ended,
    events: () => [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]),
    close: () => req.destroy(),
  };
}
