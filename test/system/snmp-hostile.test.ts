// Devices that answer with garbage: the adapter must end with a clear outcome, and the simulated agent
// must shrug off garbage sent to it.
import test from 'ava';
import dgram from 'node:dgram';
import { header, int, octets, oid, seq, tlv } from '../../appliance/src/sim/ber.ts';
import { startSimAgent } from '../../appliance/src/sim/snmp-agent.ts';
import { assessAndRemediate } from '../../appliance/src/snmp/assessor.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';

const POLICY = { name: 'p', settings: { telnet: false, 'sys-location': 'Branch 42' } };
const V2C = { version: '2c' as const, readCommunity: 'public', writeCommunity: 'private' };

/** A UDP responder on 127.0.0.1 that answers each request with whatever `reply` makes of it. */
async function responder(t: { teardown(fn: () => void): void }, reply: (req: Buffer) => Buffer) {
  const s = dgram.createSocket('udp4');
  s.on('message', (msg, rinfo) => s.send(reply(msg), rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  t.teardown(() => s.close());
  return s.address().port;
}

/** The request's version, community and request-id TLVs, to build a reply that matches it. */
function requestParts(req: Buffer) {
  const msg = header(req, 0);
  const version = header(req, msg.start);
  const community = header(req, version.end);
  const pdu = header(req, community.end);
  const reqId = header(req, pdu.start);
  return { version: req.subarray(msg.start, version.end), community: req.subarray(community.start, community.end), reqId: req.subarray(pdu.start, reqId.end) };
}

for (const [label, reply] of [
  ['random bytes', () => Buffer.from('\x30\x82\xff\xff garbage that is not BER', 'latin1')],
  ['an empty datagram', () => Buffer.alloc(0)],
  ['a 60 KB datagram', () => Buffer.alloc(60_000, 0x30)],
  ['a response with fewer varbinds than asked', (req: Buffer) => {
    const p = requestParts(req);
    const vb = seq(seq(oid('1.3.6.1.4.1.11.2.4.3.7.19.0'), int(0x02, 1)));
    return seq(p.version, octets(p.community), tlv(0xa2, Buffer.concat([p.reqId, int(0x02, 0), int(0x02, 0), vb])));
  }],
  ['a response with an unknown error-status', (req: Buffer) => {
    const p = requestParts(req);
    return seq(p.version, octets(p.community), tlv(0xa2, Buffer.concat([p.reqId, int(0x02, 99), int(0x02, 7), seq()])));
  }],
] as const) {
  test(`hostile reply (${label}): unreachable with the reason, no crash`, async (t) => {
    const port = await responder(t, reply);
    const r = await assessAndRemediate({ host: '127.0.0.1', port, credentials: { default: V2C }, policy: POLICY, remediate: true, timeoutMs: 150, retries: 0 }, silentLogger());
    t.is(r.status, 'unreachable');
    t.deepEqual(r.settings, []);
    t.truthy(r.detail);
    t.log(r.detail);
  });
}

test('the simulated agent ignores garbage and keeps answering', async (t) => {
  const a = await startSimAgent({ address: '127.0.0.1' });
  t.teardown(() => a.stop());
  const s = dgram.createSocket('udp4');
  t.teardown(() => s.close());
  for (const junk of [Buffer.alloc(0), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x03]), Buffer.alloc(5000, 0xa2)]) s.send(junk, a.port, a.address);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const r = await assessAndRemediate({ host: a.address, port: a.port, credentials: { default: V2C }, policy: POLICY, remediate: true, timeoutMs: 500 }, silentLogger());
  t.is(r.status, 'remediated');
});

test('hostile reply naming other OIDs: those settings count as missing, nothing is written blindly', async (t) => {
  // Answers every GET with the right number of varbinds but for an OID nobody asked about.
  const port = await responder(t, (req) => {
    const p = requestParts(req);
    const vb = seq(seq(oid('1.3.6.1.2.1.1.1.0'), octets('evil')), seq(oid('1.3.6.1.2.1.1.2.0'), int(0x02, 0)));
    return seq(p.version, octets(p.community), tlv(0xa2, Buffer.concat([p.reqId, int(0x02, 0), int(0x02, 0), vb])));
  });
  const r = await assessAndRemediate({ host: '127.0.0.1', port, credentials: { default: V2C }, policy: POLICY, remediate: false, timeoutMs: 300, retries: 0 }, silentLogger());
  t.is(r.status, 'non-compliant');
  t.deepEqual(r.settings.map((s) => [s.id, s.actual, s.deviceAnswer]), [['telnet', null, 'no varbind in reply'], ['sys-location', null, 'no varbind in reply']]);
});
