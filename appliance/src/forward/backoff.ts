// Exponential back-off with jitter for relays to a listener that is down: base·2^failures, capped, and a
// random part so that many branches whose hub comes back do not all reconnect in the same second.
export interface BackoffPolicy { baseMs: number; maxMs: number }

/** Delay before the next attempt after `failures` consecutive failures (1 = first failure). */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  // "Equal jitter": at least half the ceiling (so the delay still grows), up to the ceiling.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
