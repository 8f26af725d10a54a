// The shipped units, checked by systemd's own tools: `systemd-analyze verify` (syntax, unknown keys,
// executables) and `systemd-analyze security` (exposure score of the hardening).
import test from 'ava';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
// Without a terminal systemd tools may log to the journal; the assertions need their messages on stderr.
const run = (cmd: string, args: string[]) =>
  execFileAsync(cmd, args, { env: { ...process.env, SYSTEMD_LOG_TARGET: 'console', SYSTEMD_COLORS: '0' } });
const imageDir = fileURLToPath(new URL('../../image/', import.meta.url));
const units = ['instant-on-edge.service', 'instant-on-edge-firstboot.service'];
const MAX_EXPOSURE = 2.5;

/** Copies of the units whose ExecStart= points at files that exist here (verify checks executables). */
function stagedUnits(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'units-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const stub = join(dir, 'instant-on-edge');
  writeFileSync(stub, '#!/bin/sh\n');
  chmodSync(stub, 0o755);
  for (const u of units) {
    const text = readFileSync(join(imageDir, u), 'utf8')
      .replace(/^ExecStart=\/usr\/local\/bin\/instant-on-edge /m, `ExecStart=${stub} `)
      .replace(/^ExecStart=\/usr\/local\/lib\/instant-on-edge\/firstboot\.sh$/m, `ExecStart=${join(imageDir, 'firstboot.sh')}`);
    writeFileSync(join(dir, u), text);
  }
  return dir;
}

test('systemd-analyze verify accepts both units without a warning', async (t) => {
  const dir = stagedUnits(t);
  const { stdout, stderr } = await run('systemd-analyze', ['verify', ...units.map((u) => join(dir, u))]);
  t.is(stderr.trim(), '', 'no warnings');
  t.is(stdout.trim(), '');
});

test('systemd-analyze verify flags a misspelt key and a missing executable (the check can fail)', async (t) => {
  const dir = stagedUnits(t);
  const unit = join(dir, 'instant-on-edge.service');
  const good = readFileSync(unit, 'utf8');
  writeFileSync(unit, good.replace(/^NotifyAccess=all$/m, 'NotifyAcess=all'));
  const typo = await run('systemd-analyze', ['verify', unit]);
  t.regex(typo.stderr, /Unknown key 'NotifyAcess'/);
  writeFileSync(unit, good.replace(/^ExecStart=\S+/m, 'ExecStart=/nonexistent/instant-on-edge'));
  const err = await t.throwsAsync(run('systemd-analyze', ['verify', unit]));
  t.regex(String((err as { stderr?: string }).stderr ?? ''), /not executable/);
});

test(`systemd-analyze security: exposure ≤ ${MAX_EXPOSURE}, notify + watchdog + the hardening of issue 9`, async (t) => {
  const dir = stagedUnits(t);
  const unit = join(dir, 'instant-on-edge.service');
  const { stdout } = await run('systemd-analyze', ['security', '--offline=yes', '--no-pager', unit]);
  const score = Number(/Overall exposure level for instant-on-edge\.service: ([\d.]+)/.exec(stdout)?.[1]);
  t.log(`systemd-analyze security exposure: ${score}`);
  t.true(score > 0 && score <= MAX_EXPOSURE, `exposure ${score}`);

  const text = readFileSync(join(imageDir, 'instant-on-edge.service'), 'utf8');
  for (const line of ['Type=notify', 'NotifyAccess=all', 'User=instant-on-edge', 'StateDirectory=instant-on-edge',
    'CacheDirectory=instant-on-edge', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes',
    'NoNewPrivileges=yes', 'AmbientCapabilities=CAP_NET_BIND_SERVICE', 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE',
    'SystemCallFilter=@system-service']) {
    t.true(text.split('\n').includes(line), `unit has ${line}`);
  }
  t.regex(text, /^RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6( AF_NETLINK)?$/m);
  const watchdog = Number(/^WatchdogSec=(\d+)$/m.exec(text)?.[1]);
  t.true(watchdog >= 10 && watchdog <= 120, `WatchdogSec=${watchdog}`);
  for (const [name, passed] of [['ProtectSystem=', true], ['NoNewPrivileges=', true], ['PrivateTmp=', true]] as const) {
    t.is(new RegExp(`✓ ${name}`).test(stdout), passed, `security lists ${name} as set`);
  }
});
