// A collector that is down costs a bounded queue: the oldest messages are dropped and counted, send() returns at once.
import test from 'ava';
import net from 'node:net';
import { parseTarget, SyslogSender } from '../../../appliance/src/syslog/sender.ts';
import { waitFor } from '../../fakes/appliance.ts';

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('targets parse; anything else is refused with the reason', (t) => {
  t.deepEqual(parseTarget('tls://[::1]:6514'), { transport: 'tls', host: '::1', port: 6514, label: 'tls://[::1]:6514' });
  t.throws(() => parseTarget('tcp://host:0'), { message: /not udp:\/\/host:port/ });
  t.throws(() => parseTarget('syslog.example:514'));
});

test('a down TCP collector: bounded queue, drops counted, the error named, retried', async (t) => {
  const port = await closedPort();
  const s = new SyslogSender(parseTarget(`tcp://127.0.0.1:${port}`), { maxQueued: () => 5, connectTimeoutMs: () => 500, retry: { baseMs: 50, maxMs: 100 } });
  t.teardown(() => s.stop());
  const started = performance.now();
  for (let i = 0; i < 10_000; i++) s.send(`<13>1 - - - - - - message ${i}`);
  t.true(performance.now() - started < 1000, 'queuing never waits on the network');
  t.is(s.queued, 5);
  t.is(s.view().dropped, 9995);
  const v = await waitFor(() => (s.view().consecutiveFailures >= 2 ? s.view() : undefined), 5000);
  t.regex(v.lastError!, /ECONNREFUSED/);
  t.is(s.queued, 5, 'kept for when it is back');
});
