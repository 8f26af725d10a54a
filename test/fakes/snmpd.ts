// Starts Debian's snmpd (the shared peer script) on 127.0.0.1 and a free port, for tests.
// The peer: v2c public/private; v3 admin (SHA/AES) and admin256 (SHA-256/AES-256), keys authpass123/privpass123.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** In CI `shared/` sits next to the repository; a git worktree one level further down finds it one level up. */
export const sharedDir = [path.resolve(repoRoot, '../shared'), path.resolve(repoRoot, '../../shared')].find((d) => existsSync(d)) ?? path.resolve(repoRoot, '../shared');
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

export interface SnmpdOptions {
  /** A loopback address of its own (e.g. 127.0.40.3); default 127.0.0.1. */
  host?: string;
  /** Default: a free port. 161 needs root. */
  port?: number;
  /** snmpd.conf lines added to the shared peer's (sysobjectid, override …). */
  extraConfig?: string[];
}

/**
 * The shared peer's snmpd.conf with another listening address and extra lines. Requests still come from
 * 127.0.0.1 (the kernel's source for every 127/8 destination), which the peer's communities allow.
 */
async function writeConfig(dir: string, host: string, port: number, extra: string[]) {
  const shared = path.join(sharedDir, 'peers/snmpd');
  await mkdir(path.join(dir, 'persist'), { recursive: true });
  await mkdir(path.join(dir, 'npcfg'), { recursive: true });
  await copyFile(path.join(shared, 'hp-npcfg-pass.sh'), path.join(dir, 'hp-npcfg-pass.sh'));
  const conf = (await readFile(path.join(shared, 'snmpd.conf.in'), 'utf8'))
    .replaceAll('@DIR@', dir).replaceAll('@PORT@', String(port)).replace('udp:127.0.0.1:', `udp:${host}:`);
  await writeFile(path.join(dir, 'snmpd.conf'), `${conf}\n${extra.join('\n')}\n`);
}

export async function startSnmpd(opts: SnmpdOptions = {}): Promise<Snmpd> {
  const host = opts.host ?? '127.0.0.1';
  const dir = await mkdtemp(path.join(tmpdir(), 'snmpd-'));
  const port = opts.port ?? await freeUdpPort(host);
  let child: ChildProcess;
  if (opts.host || opts.extraConfig) {
    await writeConfig(dir, host, port, opts.extraConfig ?? []);
    // What run-snmpd.sh does, with this folder's config.
    child = spawn('snmpd', ['-f', '-Lf', path.join(dir, 'snmpd.log'), '-p', path.join(dir, 'snmpd.pid')], {
      stdio: 'ignore', env: { ...process.env, SNMPCONFPATH: `${dir}:${dir}/persist`, SNMP_PERSISTENT_DIR: `${dir}/persist`, NPCFG_STATE: `${dir}/npcfg`, MIBS: '' } });
  } else {
    child = spawn('sh', [RUN_SNMPD, dir, String(port)], { stdio: 'ignore' });
  }
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
