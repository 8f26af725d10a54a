// Baseline for the intake benchmark: a bare Node TLS server that reads one HDAP frame and answers a fixed
// Acknowledge. No validation, no storage: the ceiling of what Node's TLS stack can do on this machine.
import tls from 'node:tls';
import { createSelfSignedIdentity } from '../../appliance/src/pki/identity.ts';

const port = Number(process.argv[2]);
const id = createSelfSignedIdentity();
const ackBody = Buffer.from(JSON.stringify({ messageId: '', status: 'accepted', reason: 'ok', authMethod: 'anonymous', retryAfterSeconds: 0 }));
const head = Buffer.alloc(10);
head.write('HDAP'); head[4] = 1; head[5] = 2; head.writeUInt32BE(ackBody.length, 6);
const ack = Buffer.concat([head, ackBody]);
tls.createServer({ key: id.keyPem, cert: id.certPem, requestCert: true, rejectUnauthorized: false }, (s) => {
  let buf = Buffer.alloc(0);
  s.on('data', (c) => {
    buf = Buffer.concat([buf, c]);
    if (buf.length >= 10 && buf.length >= 10 + buf.readUInt32BE(6)) s.end(ack);
  });
  s.on('error', () => undefined);
}).listen(port, '127.0.0.1', () => console.log('bare server ready'));
