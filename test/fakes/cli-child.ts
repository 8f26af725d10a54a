// The real CLI in a child process (nothing in the test process can flush or repair on its behalf), with its
// JSON log lines collected for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ADMIN_PASSWORD } from './appliance.ts';

const root = new URL('../../', import.meta.url).pathname;

export interface CliChild {
  child: ChildProcess;
  /** Every line written so far (stdout and stderr). */
  output: () => string;
  /** Parsed JSON log lines so far. */
  logs: () => any[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCli(args: string[], env: Record<string, string> = {}): CliChild {
  const child = spawn(process.execPath, ['--import=tsx', join(root, 'appliance/src/cli.ts'), 'serve', ...args],
    { cwd: root, env: { ...process.env, INSTANT_ON_ADMIN_PASSWORD: ADMIN_PASSWORD, INSTANT_ON_LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => { out += c; });
  child.stderr!.on('data', (c) => { out += c; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const logs = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean);
  return { child, output: () => out, logs, exited };
}

/** Starts the appliance on loopback and resolves once the web port is up (rejects with its output if it exits). */
export async function startCliAppliance(dataDir: string, ports: { announce: number; web: number }, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<CliChild> {
  const c = spawnCli(['--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(ports.announce), '--web-port', String(ports.web), '--dns-port', '0'], env);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { c.child.kill('SIGKILL'); reject(new Error(`not ready within ${timeoutMs} ms: ${c.output()}`)); }, timeoutMs);
    const check = () => { if (c.output().includes('admin page and API ready')) { clearTimeout(timer); c.child.stdout!.off('data', check); resolve(); } };
    c.child.stdout!.on('data', check);
    void c.exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`exited ${code ?? signal}: ${c.output()}`)); });
  });
  return c;
}

export async function stopCli(c: CliChild, signal: NodeJS.Signals = 'SIGTERM') {
  if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill(signal);
  return c.exited;
}
