// A component is anything the appliance starts and must stop: a listener, a worker, a store. The controller
// keeps them in one ordered list (the zigbee2mqtt way): started in order, stopped in reverse, and a start that
// fails half-way stops what already started, so no listener outlives the store it writes to.
import type { Logger } from './log.ts';

export interface Component {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** A component made of two functions, for rooms whose objects have other method names (listen/close…). */
export function component(name: string, start: () => Promise<void> | void, stop: () => Promise<void> | void = () => undefined): Component {
  return { name, start, stop };
}

/** The start of one component failed; `component` names it, `cause` is what it threw. */
export class ComponentStartError extends Error {
  readonly code: string;
  constructor(readonly component: string, override readonly cause: unknown) {
    const c = cause as { message?: string; code?: string };
    super(`${component} could not start: ${c?.message ?? String(cause)}`);
    this.code = c?.code ?? 'start-failed';
  }
}

export class Components {
  private readonly started: Component[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly log: Logger) {}

  /** Starts each in order; on failure stops those already started (in reverse) and throws ComponentStartError. */
  async start(list: Iterable<Component>): Promise<void> {
    for (const c of list) {
      try {
        await c.start();
      } catch (err) {
        this.log.error({ component: c.name, err: { message: (err as Error).message, code: (err as { code?: string }).code } }, 'start failed; stopping what already started');
        await this.stop();
        throw new ComponentStartError(c.name, err);
      }
      this.started.push(c);
    }
  }

  /** Reverse order of start. A component that fails to stop is logged and the rest still stop. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      while (this.started.length) {
        const c = this.started.pop()!;
        try { await c.stop(); } catch (err) { this.log.error({ component: c.name, err }, 'stop failed'); }
      }
    })();
    const done = this.stopping;
    return done.finally(() => { if (this.stopping === done) this.stopping = undefined; });
  }

  names(): string[] { return this.started.map((c) => c.name); }
}
