// Starts Debian's snmpd (the shared peer script) on 127.0.0.1 and a free port, for tests.
// The peer: v2c public/private; v3 admin (SHA/AES) and admin256 (SHA-256/AES-256), keys authpass123/privpass123.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** In CI `shared/` sits next to the repository. */
export const sharedDir = path.resolve(repoRoot, '../shared');
const RUN_SNMPD = path.join(sharedDir, 'peers/snmpd/run-snmpd.sh');

export interface Snmpd {
  host: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** A UDP port that was free a moment ago (bind to 0, read, close). */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, host, resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Resolves once snmpd answers a v2c GET for sysUpTime, or rejects after ~8 s. */
async function waitReady(host: string, port: number, child: ChildProcess): Promise<void> {
  // A raw v2c GET sysUpTime.0 with community "public": small enough to write out by hand.
  const oid = Buffer.from([0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00]);
  const vb = Buffer.concat([Buffer.from([0x30, oid.length + 2]), oid, Buffer.from([0x05, 0x00])]);
  const vbl = Buffer.concat([Buffer.from([0x30, vb.length]), vb]);
  const pduBody = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00]), vbl]);
  const pdu = Buffer.concat([Buffer.from([0xa0, pduBody.length]), pduBody]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x01, 0x04, 0x06]), Buffer.from('public'), pdu]);
  const msg = Buffer.concat([Buffer.from([0x30, body.length]), body]);
  const sock = dgram.createSocket('udp4');
  try {
    for (let i = 0; i < 80; i++) {
      if (child.exitCode !== null) throw new Error(`snmpd exited with ${child.exitCode}`);
      const answered = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), 100);
        sock.once('message', () => {
          clearTimeout(t);
          resolve(true);
        });
        sock.send(msg, port, host);
      });
      if (answered) return;
    }
    throw new Error('snmpd did not answer within 8 s');
  } finally {
    sock.close();
  }
}

// snmpd runs in the foreground as our child; make sure none outlives a test worker that dies early.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

export async function startSnmpd(): Promise<Snmpd> {
  const host = '127.0.0.1';
  const dir = await mkdtemp(path.join(tmpdir(), 'snmpd-'));
  const port = await freeUdpPort(host);
  const child = spawn('sh', [RUN_SNMPD, dir, String(port)], { stdio: 'ignore' });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  try {
    await waitReady(host, port, child);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    host,
    port,
    dir,
    async stop() {
      // run-snmpd.sh execs snmpd, so the child is snmpd itself.
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
