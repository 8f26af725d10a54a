// A tiny observable value and a hook to follow it (what the page needs of a state library).
import { useEffect, useState } from 'preact/hooks';

export class Box<T> {
  private subs = new Set<(v: T) => void>();
  constructor(public value: T) {}
  set(v: T) { this.value = v; for (const s of this.subs) s(v); }
  subscribe(fn: (v: T) => void) { this.subs.add(fn); return () => { this.subs.delete(fn); }; }
}

export function useBox<T>(box: Box<T>): T {
  const [, force] = useState(0);
  useEffect(() => box.subscribe(() => force((n) => n + 1)), [box]);
  return box.value;
}
