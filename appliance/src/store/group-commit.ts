// Group commit: every caller that needs durability hands its operations here and awaits one promise.
// While one synced batch is being written, new operations pile up and go out together in the next one,
// so a hundred concurrent announcements cost a few fsyncs, not a hundred (the database-log trick).
export interface BatchWriter<Op> {
  (ops: Op[]): Promise<void>;
}

interface Pending<Op> { ops: Op[]; resolve: () => void; reject: (e: unknown) => void }

export class GroupCommitter<Op> {
  private queue: Pending<Op>[] = [];
  private inFlight: Promise<void> | null = null;
  private batches = 0;
  private opsWritten = 0;

  constructor(private readonly write: BatchWriter<Op>, private readonly maxOpsPerBatch = 5_000) {}

  commit(ops: Op[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, resolve, reject });
      if (!this.inFlight) this.inFlight = this.drain();
    });
  }

  /** Resolves once everything committed so far is on disk. */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  stats() {
    return { batches: this.batches, ops: this.opsWritten, queued: this.queue.length };
  }

  private async drain(): Promise<void> {
    // Yield once so callers in the same tick join the first batch too.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const group: Pending<Op>[] = [];
      let size = 0;
      while (this.queue.length > 0 && (group.length === 0 || size + this.queue[0].ops.length <= this.maxOpsPerBatch)) {
        const p = this.queue.shift()!;
        group.push(p);
        size += p.ops.length;
      }
      try {
        await this.write(group.flatMap((p) => p.ops));
        this.batches++;
        this.opsWritten += size;
        for (const p of group) p.resolve();
      } catch (err) {
        for (const p of group) p.reject(err);
      }
    }
    this.inFlight = null;
  }
}
