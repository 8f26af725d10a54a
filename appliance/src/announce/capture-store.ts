// Capture records kept in the store, ordered by when the stream began; past the limit the oldest go
// (HDAP.md §7: bounded).
import type { Store } from '../store/index.ts';
import type { CaptureRecord, CaptureSink } from './capture.ts';

export function storeCaptureSink(store: Store, maxRecords: () => number): CaptureSink {
  const sub = store.sub<CaptureRecord>('captures');
  const save = async (rec: CaptureRecord) => {
    const key = `${rec.at}!${Math.random().toString(36).slice(2, 8)}`;
    const newestFirst = [...(await sub.keys().all()), key].sort().reverse();
    const excess = new Set(newestFirst.slice(maxRecords()));
    await store.commit([
      ...(excess.has(key) ? [] : [{ type: 'put' as const, sublevel: sub, key, value: rec }]),
      ...[...excess].filter((k) => k !== key).map((k) => ({ type: 'del' as const, sublevel: sub, key: k })),
    ]);
  };
  // Saves run one after another: each reads the keys it may evict, so two at once could evict wrongly.
  let chain: Promise<unknown> = Promise.resolve();
  return {
    save: (rec) => {
      const run = chain.then(() => save(rec));
      chain = run.catch(() => undefined);
      return run;
    },
  };
}
