// Starts Debian's snmpd on 127.0.0.1 (or another loopback address) and a free port, for tests, playing a
// printer: HP's objects come from test/fakes/snmpd/ (a pass_persist handler serving the simulated printers'
// native table, appliance/src/sim/hp-objects.ts — the MIBs' own numbers, not the catalog's).
// The peer: v2c public/private; v3 admin (SHA/AES) and admin256 (SHA-256/AES-256), keys authpass123/privpass123.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { HP_OBJECTS, type NativeObject } from '../../appliance/src/sim/hp-objects.ts';

const PEER_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'snmpd');

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
  /** snmpd.conf lines added to the peer's (sysobjectid, override …). */
  extraConfig?: string[];
  /** HP objects (MIB names) this "model" does not have: left out of the table, so snmpd answers noSuchObject. */
  lacks?: string[];
  /** false: plain snmpd, a Linux host rather than a printer (no HP objects, no Printer-MIB columns). Default true. */
  hp?: boolean;
}

/**
 * The shared peer's snmpd.conf with another listening address and extra lines. Requests still come from
 * 127.0.0.1 (the kernel's source for every 127/8 destination), which the peer's communities allow.
 */
async function writeConfig(dir: string, host: string, port: number, extra: string[], lacks: string[], hp: boolean) {
  await mkdir(path.join(dir, 'persist'), { recursive: true });
  await mkdir(path.join(dir, 'state'), { recursive: true });
  await copyFile(path.join(PEER_DIR, 'hp-objects.pl'), path.join(dir, 'hp-objects.pl'));
  await writeFile(path.join(dir, 'hp-objects.tab'), tableOf(HP_OBJECTS.filter((o) => !lacks.includes(o.name))));
  const conf = (await readFile(path.join(PEER_DIR, 'snmpd.conf.in'), 'utf8'))
    .replaceAll('@DIR@', dir).replaceAll('@PORT@', String(port)).replace('udp:127.0.0.1:', `udp:${host}:`)
    .split('\n').filter((line) => hp || !line.startsWith('pass_persist ')).join('\n');
  await writeFile(path.join(dir, 'snmpd.conf'), `${conf}\n${extra.join('\n')}\n`);
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

/** hp-objects.tab: one line per object snmpd does not serve itself (MIB-II is snmpd's own). */
function tableOf(objects: readonly NativeObject[]): string {
  return objects.filter((o) => o.family !== 'mib-2').map((o) => [
    `.${o.oid}`, o.syntax,
    o.values ? `values:${o.values.join(',')}` : o.range ? `range:${o.range[0]}:${o.range[1]}` : o.size ? `size:${o.size[0]}:${o.size[1]}` : '',
    o.syntax === 'OctetString' ? hex(String(o.factory)) : String(o.factory),
    o.writeOnly ?? '', o.verifies ? `.${HP_OBJECTS.find((x) => x.name === o.verifies)!.oid}` : '', o.name,
  ].join('\t')).join('\n') + '\n';
}

/** Puts a value into the peer's state as a firmware would (bypassing the SET checks): an INTEGER, dotted quad or text. */
export async function plantValue(d: Snmpd, oid: string, value: number | string): Promise<void> {
  const o = HP_OBJECTS.find((x) => x.oid === oid);
  if (!o) throw new Error(`the snmpd peer does not serve ${oid}`);
  await writeFile(path.join(d.dir, 'state', `value.${oid}`), `${o.syntax === 'OctetString' ? hex(String(value)) : value}\n`);
}

/** What a password object of the peer holds (the agent never serves it back). */
export async function peerSecret(d: Snmpd, oid: string): Promise<string | undefined> {
  try {
    return Buffer.from((await readFile(path.join(d.dir, 'state', `secret.${oid}`), 'utf8')).trim(), 'hex').toString('utf8');
  } catch {
    return undefined;
  }
}

export async function startSnmpd(opts: SnmpdOptions = {}): Promise<Snmpd> {
  const host = opts.host ?? '127.0.0.1';
  const dir = await mkdtemp(path.join(tmpdir(), 'snmpd-'));
  const port = opts.port ?? await freeUdpPort(host);
  await writeConfig(dir, host, port, opts.extraConfig ?? [], opts.lacks ?? [], opts.hp ?? true);
  // SNMPCONFPATH must list the persistent dir too, or values SET over SNMP are saved but not read back.
  const child: ChildProcess = spawn('snmpd', ['-f', '-Lf', path.join(dir, 'snmpd.log'), '-p', path.join(dir, 'snmpd.pid')], {
    stdio: 'ignore', env: { ...process.env, SNMPCONFPATH: `${dir}:${dir}/persist`, SNMP_PERSISTENT_DIR: `${dir}/persist`, MIBS: '' } });
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
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
