// Debian's mosquitto on a random loopback port below the ephemeral range, and mosquitto_sub collecting lines.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './appliance.ts';

/** `tls`: the listener speaks TLS with this certificate; `user`: anonymous clients are refused, this one is let in. */
export async function startMosquitto(opts: { tls?: { certFile: string; keyFile: string }; user?: { name: string; password: string } } = {}): Promise<{ port: number; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-mqtt-'));
  let auth = 'allow_anonymous true\n';
  if (opts.user) {
    const file = join(dir, 'passwd');
    writeFileSync(file, '');
    execFileSync('mosquitto_passwd', ['-b', file, opts.user.name, opts.user.password]);
    auth = `allow_anonymous false\npassword_file ${file}\n`;
  }
  const tls = opts.tls ? `certfile ${opts.tls.certFile}\nkeyfile ${opts.tls.keyFile}\n` : '';
  // Run as root (CI), mosquitto drops to its own user, which cannot read our 0700 temp folders: keep root.
  const user = process.getuid?.() === 0 ? 'user root\n' : '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `${user}listener ${port} 127.0.0.1\n${tls}${auth}persistence false\n`);
    const proc = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'ignore'] });
    const up = await waitFor(() => new Promise<boolean>((r) => {
      if (proc.exitCode !== null) return r(true);
      const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    }), 5000).catch(() => false);
    if (up && proc.exitCode === null) return { port, stop: () => { proc.kill(); rmSync(dir, { recursive: true, force: true }); } };
    proc.kill();
  }
  throw new Error('mosquitto did not start');
}

export function subscribe(port: number, topic: string, opts: { caFile?: string; user?: { name: string; password: string } } = {}): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  const extra = [...(opts.caFile ? ['--cafile', opts.caFile] : []), ...(opts.user ? ['-u', opts.user.name, '-P', opts.user.password] : [])];
  const sub: ChildProcess = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-v', '-t', topic, ...extra]);
  let buf = '';
  sub.stdout!.on('data', (c) => { buf += String(c); let i; while ((i = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); } });
  return { lines, stop: () => sub.kill() };
}
