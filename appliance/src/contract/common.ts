// Shapes shared by many routes. The contract is the one description of what the API takes and answers:
// routes validate requests with these schemas, the page imports their types (never `any`), and in tests
// every answer is checked against them (api/contract-check.ts).
import { z } from 'zod';

export const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');
export const serial = z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1–32 of A-Z a-z 0-9 -');

/** Every error: a stable code to look up, a sentence, and (for bad input) the fields or lines at fault. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** A field-level problem in a request: `field` is a dotted path (`settings.telnet`, `schedule.every`). */
export const fieldError = z.object({ field: z.string(), message: z.string() });

/** Any route that starts background work answers this (202), and nothing else. */
export const startedTask = z.object({ taskId: z.string() });

/** A route whose answer is not JSON: text, a download, or a stream. */
export const NOT_JSON = { kind: 'not-json' } as const;
/** A route that answers 204 with no body. */
export const NO_CONTENT = { kind: 'no-content' } as const;

/** Deep-partial open object: the fields a client relies on are named; more may be present. */
export const open = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
