// Capture records kept in the store, newest last; past the limit the oldest go (HDAP.md §7: bounded).
import type { Store } from '../store/store.ts';
import type { CaptureRecord, CaptureSink } from './capture.ts';

export function storeCaptureSink(store: Store, maxRecords: () => number): CaptureSink {
  return {
    save: async (rec: CaptureRecord) => {
      const key = `${rec.at}!${Math.random().toString(36).slice(2, 8)}`;
      const sub = store.sub<CaptureRecord>('captures');
      const newestFirst = await sub.keys({ reverse: true }).all();
      const excess = newestFirst.slice(maxRecords() - 1);
      await store.commit([{ type: 'put', sublevel: sub, key, value: rec }, ...excess.map((k) => ({ type: 'del' as const, sublevel: sub, key: k }))]);
    },
  };
}
