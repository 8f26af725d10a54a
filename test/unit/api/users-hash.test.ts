// Password hashing: scrypt holds 32 MiB while it runs, so concurrent sign-ins are hashed one at a time.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hashPassword, verifyPassword, type UserRecord } from '../../../appliance/src/api/users.ts';

const run = promisify(execFile);

test('concurrent verifications all give the right answer', async (t) => {
  const stored = { username: 'admin', ...(await hashPassword('correct horse battery')) } as UserRecord;
  const results = await Promise.all(['correct horse battery', 'wrong', 'correct horse battery', 'Correct horse battery'].map((p) => verifyPassword(stored, p)));
  t.deepEqual(results, [true, false, true, false]);
});

test('four sign-ins at once do not hold four hashes in memory (peak RSS grows by about one, 32 MiB, not four)', async (t) => {
  // A fresh process, so its peak RSS (VmHWM) shows only this: four hashes started together.
  const script = `
    import { readFileSync } from 'node:fs';
    import { hashPassword } from './appliance/src/api/users.ts';
    const hwm = () => Number(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
    await hashPassword('warm up the pool');
    const before = hwm();
    await Promise.all([1, 2, 3, 4].map((i) => hashPassword('password number ' + i)));
    console.log(JSON.stringify({ before, after: hwm() }));`;
  const { stdout } = await run(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], { cwd: new URL('../../../', import.meta.url).pathname });
  const { before, after } = JSON.parse(stdout.trim().split('\n').pop()!);
  t.log(`peak RSS ${Math.round(before)} → ${Math.round(after)} MB`);
  t.true(after - before < 48, `peak grew by ${Math.round(after - before)} MB`);
});
