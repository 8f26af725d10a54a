import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addonCacheDir, materializeAddon, runningAsSea, webAssets } from '../../../appliance/src/util/sea-addon.ts';

function tempDir(t: { teardown(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'sea-addon-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('cache folder: systemd CacheDirectory, then XDG_CACHE_HOME, then <dataDir>/.cache', (t) => {
  t.is(addonCacheDir({ CACHE_DIRECTORY: '/var/cache/ioe:/other', XDG_CACHE_HOME: '/x' }, '/data'), '/var/cache/ioe');
  t.is(addonCacheDir({ XDG_CACHE_HOME: '/x' }, '/data'), '/x/instant-on-edge');
  t.is(addonCacheDir({}, '/data'), '/data/.cache');
  t.regex(addonCacheDir({}, undefined), /instant-on-edge-/);
});

test('the addon is written once, by content hash, with no temp file left behind', (t) => {
  const dir = join(tempDir(t), 'cache');
  const a = materializeAddon(Buffer.from('addon v1'), dir);
  const again = materializeAddon(Buffer.from('addon v1'), dir);
  t.is(again, a);
  t.is(statSync(a).mtimeMs, statSync(again).mtimeMs);
  const b = materializeAddon(Buffer.from('addon v2'), dir);
  t.not(b, a, 'another build gets another file');
  t.deepEqual(readdirSync(dir).sort(), [a, b].map((p) => p.slice(dir.length + 1)).sort());
  t.is(readFileSync(b, 'utf8'), 'addon v2');
});

test('a truncated file from an old crash is replaced, not loaded', (t) => {
  const dir = tempDir(t);
  const path = materializeAddon(Buffer.from('full addon bytes'), dir);
  rmSync(path);
  writeFileSync(path, 'full');
  materializeAddon(Buffer.from('full addon bytes'), dir);
  t.is(readFileSync(path, 'utf8'), 'full addon bytes');
});

test('outside the binary, web assets come from disk and cannot climb out of the web root', (t) => {
  t.false(runningAsSea());
  const root = tempDir(t);
  writeFileSync(join(root, 'index.html'), '<h1>hi</h1>');
  const web = webAssets(root);
  t.is(web.get('/index.html')?.toString(), '<h1>hi</h1>');
  t.is(web.get('../../etc/passwd'), undefined);
  t.is(web.get('/'), undefined);
  t.is(web.get('missing.js'), undefined);
});
