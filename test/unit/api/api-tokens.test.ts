// Named API tokens on the in-memory store: stored hashed, shown once, verified, revoked, bounded, durable.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { ApiTokens, TOKEN_PREFIX } from '../../../appliance/src/api/api-tokens.ts';

test('a token is shown once, stored as a hash only, verified by its secret and revoked at once', async (t) => {
  const store = await Store.open();
  t.teardown(() => store.close());
  const tokens = new ApiTokens(store);
  const { token, secret } = await tokens.create({ name: 'prometheus', scope: 'read' }, 'admin');
  t.true(secret.startsWith(TOKEN_PREFIX));
  t.true(secret.length > 40);
  const stored = JSON.stringify(await store.values('tokens'));
  t.false(stored.includes(secret), 'the secret itself is not in the store');
  t.false(stored.includes(secret.slice(TOKEN_PREFIX.length + 6)), 'nor its random part');
  t.false(JSON.stringify(tokens.list()).includes('hash'), 'lists carry no hash');
  t.like(tokens.verify(secret), { id: token.id, name: 'prometheus', scope: 'read', createdBy: 'admin' });
  t.is(tokens.verify(secret + 'x'), undefined);
  t.is(tokens.verify('ioe_' + 'A'.repeat(43)), undefined);
  t.is(tokens.verify('not-ours'), undefined);
  t.is(tokens.verify(undefined), undefined);
  // Survives a reload (restart) from the store.
  const again = new ApiTokens(store);
  await again.load();
  t.is(again.verify(secret)?.name, 'prometheus');
  t.truthy(await again.revoke(token.id));
  t.is(again.verify(secret), undefined);
  const third = new ApiTokens(store);
  await third.load();
  t.is(third.verify(secret), undefined, 'revocation is durable');
  t.is(await third.revoke(token.id), undefined);
});

test('names are checked and unique; the default scope is read', async (t) => {
  const store = await Store.open();
  t.teardown(() => store.close());
  const tokens = new ApiTokens(store);
  const a = await tokens.create({ name: 'backup script' }, 'admin');
  t.is(a.token.scope, 'read');
  await t.throwsAsync(tokens.create({ name: 'Backup Script', scope: 'admin' }, 'admin'), { message: /exists/ });
  await t.throwsAsync(tokens.create({ name: '' }, 'admin'));
  await t.throwsAsync(tokens.create({ name: 'x<script>' }, 'admin'));
  await t.throwsAsync(tokens.create({ name: 'ok', scope: 'root' }, 'admin'));
  await t.throwsAsync(tokens.create({ name: 'ok', extra: 1 }, 'admin'));
  t.is(tokens.list().length, 1);
});

test('last use is recorded without a write per request', async (t) => {
  const store = await Store.open();
  t.teardown(() => store.close());
  let now = new Date('2026-03-01T10:00:00Z');
  const tokens = new ApiTokens(store, { now: () => now });
  const { secret, token } = await tokens.create({ name: 'scraper' }, 'admin');
  const before = store.commitStats().ops;
  for (let i = 0; i < 100; i++) { now = new Date(now.getTime() + 15_000); tokens.verify(secret); }
  await new Promise((r) => setTimeout(r, 50));
  const writes = store.commitStats().ops - before;
  t.true(writes >= 1 && writes <= 3, `${writes} writes for 100 uses over 25 min`);
  t.is(tokens.list().find((x) => x.id === token.id)?.lastUsedAt, now.toISOString());
});
