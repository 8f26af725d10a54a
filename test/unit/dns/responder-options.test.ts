import test from 'ava';
import { startDnsResponder } from '../../../appliance/src/dns/index.ts';
import { parseUpstream } from '../../../appliance/src/dns/upstream-client.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';

test('upstream specs: v4, bracketed v6, bare v6, default port 53', (t) => {
  t.deepEqual(parseUpstream('192.0.2.53'), { host: '192.0.2.53', port: 53, label: '192.0.2.53' });
  t.deepEqual(parseUpstream('127.0.0.1:5353'), { host: '127.0.0.1', port: 5353, label: '127.0.0.1:5353' });
  t.deepEqual(parseUpstream('[::1]:5353'), { host: '::1', port: 5353, label: '[::1]:5353' });
  t.deepEqual(parseUpstream('2001:db8::53'), { host: '2001:db8::53', port: 53, label: '2001:db8::53' });
  t.throws(() => parseUpstream('dns.example:53'), { message: /must be an IP address/ });
  t.throws(() => parseUpstream('127.0.0.1:99999'), { message: /bad port/ });
});

test('bad options are rejected before anything binds', async (t) => {
  const log = silentLogger();
  await t.throwsAsync(startDnsResponder({ host: 'localhost', port: 0 }, log), { message: /host must be an IP address/ });
  await t.throwsAsync(startDnsResponder({ host: '127.0.0.1', port: 0, addresses: { ipv4: ['300.1.1.1'], ipv6: [] } }, log));
  await t.throwsAsync(startDnsResponder({ host: '127.0.0.1', port: 0, upstreams: ['nowhere'] }, log), { message: /must be an IP address/ });
  await t.throwsAsync(startDnsResponder({ host: '0.0.0.0', port: 5399, upstreams: ['127.0.0.1:5399'] }, log), { message: /this responder itself/ });
});
