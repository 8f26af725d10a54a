// What changed between two assessments of one device, in the words an admin needs for the history:
// which settings had drifted since the last run (a cold reset, someone at the panel) and which ones
// this run put back. Pure: works on stored results.
import type { PolicyValue } from './catalog.ts';
import type { SettingResult } from './assessment.ts';

export interface DriftEntry {
  id: string;
  /** Value at the end of the previous run. */
  was: PolicyValue | null;
  /** Value this run found before changing anything. */
  found: PolicyValue | null;
}

export interface FixEntry {
  id: string;
  from: PolicyValue | null;
  to: PolicyValue | null;
}

export interface RunDiff {
  /** Settings whose value moved between the previous run's end and this run's first read. */
  drifted: DriftEntry[];
  /** Settings this run wrote and verified. */
  putBack: FixEntry[];
  /** Settings still not as the policy says (rejected, not verified, or not remediated). */
  stillWrong: string[];
}

export function diffRuns(previous: readonly SettingResult[] | undefined, current: readonly SettingResult[]): RunDiff {
  const before = new Map((previous ?? []).map((s) => [s.id, s]));
  const drifted: DriftEntry[] = [];
  for (const s of current) {
    const p = before.get(s.id);
    if (p && p.supported && s.supported && p.actual !== s.before) drifted.push({ id: s.id, was: p.actual, found: s.before });
  }
  return {
    drifted,
    putBack: current.filter((s) => s.outcome === 'remediated').map((s) => ({ id: s.id, from: s.before, to: s.actual })),
    stillWrong: current.filter((s) => s.supported && !s.compliant).map((s) => s.id),
  };
}
