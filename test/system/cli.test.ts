import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const cli = (...args: string[]) => run(process.execPath, ['--import=tsx', join(root, 'appliance/src/cli.ts'), ...args], { cwd: root }).then((r) => ({ code: 0, ...r }), (e) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

test('--help documents the CLI contract; --version prints the version', async (t) => {
  const help = await cli('--help');
  for (const flag of ['--data-dir', '--host', '--dns-port', '--announce-port', '--web-port', '--demo', '--count', '--server', '--reason', '--rate']) t.true(help.stdout.includes(flag), flag);
  t.regex((await cli('--version')).stdout, /^\d+\.\d+\.\d+\n$/);
});

test('bad flags fail with exit 2 and say why', async (t) => {
  const r = await cli('serve', '--annonce-port', '1');
  t.is(r.code, 2);
  t.regex(r.stderr, /Unknown option '--annonce-port'/);
  const s = await cli('simulate', '--count', '3');
  t.is(s.code, 2);
  t.regex(s.stderr, /--server HOST:PORT or --dns HOST:PORT is required/);
});

test('--help lists a flag for every setting of the schema, and serve --help (npm start -- --help) prints it too', async (t) => {
  const { settingKeys, settingsSchema, settingFlag } = await import('../../appliance/src/config/schema.ts');
  const help = (await cli('--help')).stdout;
  const flags = new Set([...help.matchAll(/--(?:\[no-\])?([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
  for (const key of settingKeys) {
    const flag = settingsSchema[key].flag ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    t.is(settingFlag(key), flag);
    t.true(flags.has(flag), `--${flag} (${key}) is in --help`);
    t.true(help.includes(settingsSchema[key].env), `${settingsSchema[key].env} is in --help`);
  }
  const viaServe = await cli('serve', '--help');
  t.is(viaServe.code, 0);
  t.is(viaServe.stdout, help);
});
