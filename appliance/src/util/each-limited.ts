// Runs an async step over many items with at most `limit` in flight. A change that touches the whole fleet
// (a group edit moving 10,000 devices) must not start 10,000 writes at once: each in-flight write holds its
// device copy, history entry and encoded batch, and starting them all is one long turn of the event loop.

/** Calls `fn` for every item, at most `limit` at a time; rejects with the first failure once the others have settled. */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failed) {
      const item = items[next++];
      try { await fn(item); } catch (err) { failed ??= { err }; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failed) throw failed.err;
}
