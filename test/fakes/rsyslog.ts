// A real rsyslogd (Debian's package) on free loopback ports: plain TCP (imtcp), TCP with TLS (imtcp with the
// ossl stream driver) and UDP (imudp). Each input writes to its own file, one line per message, with what
// rsyslog itself parsed: the RFC 5424 header fields and the structured data as JSON (mmpstrucdata).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { waitFor } from './appliance.ts';

export interface RsyslogLine { input: string; version: string; msgId: string; appName: string; hostname: string; severity: string; sd: any; msg: string }

export interface Rsyslog {
  tcpPort: number;
  tlsPort: number;
  udpPort: number;
  lines(input: 'tcp' | 'tls' | 'udp'): RsyslogLine[];
  stop(): Promise<void>;
  /** Stops the daemon (the ports close) and starts it again on the same ports. */
  down(): Promise<void>;
  up(): Promise<void>;
}

const up = (port: number) => new Promise<boolean>((r) => {
  const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); r(true); });
  s.on('error', () => r(false));
});

export async function startRsyslog(tls: { caFile: string; certFile: string; keyFile: string }): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-rsyslog-'));
  const [tcpPort, tlsPort, udpPort] = [await freePort(), await freePort(), await freePort()];
  const out = (n: string) => join(dir, `${n}.log`);
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(conf, `
global(workDirectory="${dir}" maxMessageSize="16k")
module(load="imtcp")
module(load="imudp")
module(load="mmpstrucdata")
template(name="fields" type="string" string="%inputname%\\t%protocol-version%\\t%msgid%\\t%app-name%\\t%hostname%\\t%syslogseverity-text%\\t%$!rfc5424-sd%\\t%msg%\\n")
ruleset(name="tcp") { action(type="mmpstrucdata") action(type="omfile" file="${out('tcp')}" template="fields") }
ruleset(name="tls") { action(type="mmpstrucdata") action(type="omfile" file="${out('tls')}" template="fields") }
ruleset(name="udp") { action(type="mmpstrucdata") action(type="omfile" file="${out('udp')}" template="fields") }
input(type="imtcp" address="127.0.0.1" port="${tcpPort}" ruleset="tcp")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}" ruleset="tls" streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="anon"
  streamDriver.CAFile="${tls.caFile}" streamDriver.CertFile="${tls.certFile}" streamDriver.KeyFile="${tls.keyFile}")
input(type="imudp" address="127.0.0.1" port="${udpPort}" ruleset="udp")
`);
  let proc: ChildProcess | undefined;
  let stderr = '';
  const start = async () => {
    stderr = '';
    proc = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stderr!.on('data', (c) => { stderr += c; });
    proc.stdout!.on('data', (c) => { stderr += c; });
    await waitFor(async () => proc!.exitCode !== null || ((await up(tcpPort)) && (await up(tlsPort))), 10_000)
      .catch(() => undefined);
    if (proc.exitCode !== null) throw new Error(`rsyslogd exited: ${stderr}`);
  };
  await start();
  const stopProc = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    if (p.exitCode === null) p.kill('SIGKILL');
    rmSync(join(dir, 'pid'), { force: true });
  };
  return {
    tcpPort, tlsPort, udpPort,
    lines(input) {
      const file = out(input);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
        const [inp, version, msgId, appName, hostname, severity, sd, ...msg] = l.split('\t');
        let parsed: any = null;
        try { parsed = JSON.parse(sd); } catch { parsed = sd; }
        return { input: inp, version, msgId, appName, hostname, severity, sd: parsed, msg: msg.join('\t') };
      });
    },
    async stop() { await stopProc(); rmSync(dir, { recursive: true, force: true }); },
    async down() { await stopProc(); },
    async up() { await start(); },
    get stderr() { return stderr; },
  } as Rsyslog;
}
