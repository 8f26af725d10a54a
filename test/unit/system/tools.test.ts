// Every external program the project runs is installed by the project's own scripts: the tests' and
// benchmarks' tools by scripts/setup.sh, the image build's by image/install-build-deps.sh. A fresh machine
// has only Debian's essential packages; a tool that "happens to be here" fails CI or a newcomer's first
// build. The owning package of each tool is asked of dpkg, so the check needs no hand-kept table.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;

function files(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(join(root, path)).isDirectory()) out.push(...files(path, ext));
    else if (ext.test(name)) out.push(path);
  }
  return out;
}

/** Programs a TypeScript file starts: the first literal argument of spawn/execFile…, and /usr/(s)bin paths. */
function tsCommands(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b(?:spawn|spawnSync|execFile|execFileSync|execFileAsync)\(\s*'([A-Za-z0-9._+-]+)'/g)) found.add(m[1]);
  for (const m of text.matchAll(/'\/usr\/s?bin\/([A-Za-z0-9._+-]+)'/g)) found.add(m[1]);
  return [...found];
}

/** Words in command position of a shell script (line start, after | && || ; $( then do), comments dropped. */
function shellCommands(text: string): string[] {
  const found = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').replace(/\b[A-Za-z_][A-Za-z0-9_]*\+?=\S*/g, ' ');
    for (const m of line.matchAll(/(?:^|[|;&(]|\bthen\b|\bdo\b|\belse\b|\$\()\s*(?:sudo\s+|\$SUDO\s+|nice\s+-n\s+\d+\s+|env\s+)?([a-z][a-z0-9._+-]*)/g)) found.add(m[1]);
  }
  return [...found];
}

const SHELL_WORDS = new Set(['if', 'then', 'else', 'fi', 'for', 'do', 'done', 'while', 'case', 'esac', 'in', 'local', 'export', 'set', 'echo',
  'exit', 'return', 'cd', 'trap', 'wait', 'read', 'shift', 'true', 'false', 'test', 'printf', 'source', 'eval', 'exec', 'kill', 'command', 'type',
  'unset', 'declare', 'function', 'say', 'wait_for', 'cleanup', 'mount_img', 'pwd', 'umask', 'break', 'continue']);

function which(cmd: string): string | undefined {
  try { return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined; } catch { return undefined; }
}

function owner(path: string): string | undefined {
  try {
    // dpkg knows /usr/bin/x when Debian's merged /usr made /bin a link: ask for both spellings.
    for (const p of [path, path.replace(/^\/usr\//, '/')]) {
      const out = execFileSync('dpkg', ['-S', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (out) return out.split(':')[0].split(',')[0].trim();
    }
  } catch { /* not from a package */ }
  return undefined;
}

const essential = (pkg: string) => {
  try { return /yes|required/.test(execFileSync('dpkg-query', ['-W', '-f=${Essential} ${Priority}', pkg], { encoding: 'utf8' })); } catch { return false; }
};

function listed(script: string): Set<string> {
  return new Set(readFileSync(join(root, script), 'utf8').split(/[\s()"']+/).filter((w) => /^[a-z0-9][a-z0-9.+-]+$/.test(w)));
}

function check(commands: Map<string, string[]>, installer: string, extra: Set<string> = new Set()) {
  const known = new Set([...listed(installer), ...extra]);
  const missing: string[] = [];
  const absent: string[] = [];
  for (const [cmd, where] of commands) {
    const path = which(cmd);
    if (!path) { absent.push(`${cmd} (${where[0]})`); continue; }
    if (path.includes('node_modules') || !path.startsWith('/')) continue; // npm's, or a shell builtin
    const pkg = owner(path);
    if (!pkg) continue; // our own or npm's (node_modules/.bin), not Debian's
    if (known.has(pkg) || essential(pkg)) continue;
    missing.push(`${cmd} → ${pkg} (used in ${where.slice(0, 2).join(', ')})`);
  }
  return { missing, absent };
}

/** Tools a script uses only when present, each with the reason it may be absent. */
const OPTIONAL = new Map([['pngquant', 'only when refreshing the committed screenshots (INSTANT_ON_SCREENSHOTS=1)']]);

function collect(sources: string[], parse: (text: string) => string[]): Map<string, string[]> {
  const commands = new Map<string, string[]>();
  for (const f of sources) {
    for (const c of parse(readFileSync(join(root, f), 'utf8'))) {
      if (SHELL_WORDS.has(c) || OPTIONAL.has(c) || c === 'node' || c === 'npm' || c === 'npx') continue;
      commands.set(c, [...(commands.get(c) ?? []), relative(root, join(root, f))]);
    }
  }
  return commands;
}

test('every program the tests, benchmarks and CI run comes from a package scripts/setup.sh installs', (t) => {
  const ts = [...files('appliance', /\.ts$/), ...files('test', /\.ts$/), ...files('scripts', /\.ts$/)];
  const sh = ['scripts/setup.sh', '.ci/run', ...files('test', /\.sh$/), ...files('scripts', /\.sh$/)];
  const commands = collect(ts, tsCommands);
  // In shell scripts a word the shell cannot resolve is a variable, function or array item, not a tool; a
  // tool missing there fails the script itself on the first run.
  for (const [c, w] of collect(sh, shellCommands)) if (which(c)) commands.set(c, [...(commands.get(c) ?? []), ...w]);
  t.true(commands.has('openssl') && commands.has('dig'), 'the scan finds the tools we know the tests use');
  const { missing, absent } = check(commands, 'scripts/setup.sh');
  t.deepEqual(missing, [], 'packages to add to scripts/setup.sh');
  t.deepEqual(absent, [], 'programs not installed on this machine after setup');
});

test('every program the image build and boot test run comes from image/install-build-deps.sh', (t) => {
  // hooks/ and firstboot.sh run inside the Pi's root filesystem, not on the build machine.
  const sh = files('image', /\.sh$/).filter((f) => !f.includes('rootfs-overlay') && !f.includes('hooks/') && !f.endsWith('firstboot.sh'));
  const commands = collect(sh, shellCommands);
  t.true(commands.has('mmdebstrap') && commands.has('qemu-system-aarch64'), 'the scan finds the image tools');
  // The boot test's virtio-net-pci NIC needs efi-virtio.rom, which only a recommended package brings.
  t.true(listed('image/install-build-deps.sh').has('ipxe-qemu'), 'ipxe-qemu (efi-virtio.rom) is installed');
  // setup.sh runs first on every machine, so what it installs counts too.
  const { missing, absent } = check(commands, 'image/install-build-deps.sh', listed('scripts/setup.sh'));
  t.deepEqual(missing, [], 'packages to add to image/install-build-deps.sh');
  // The image tools are installed only when someone builds the image (opt-in): say which were not checked.
  if (absent.length) t.log(`${absent.length} words of the image scripts are not programs installed here (the image tools are installed only to build it); their packages were not checked`);
});
