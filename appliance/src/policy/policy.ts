// A policy names settings from the catalog and the value each must have. Anything it does not name is
// never read for compliance and never written. Validation reports every bad field at once, so the
// admin page can mark each one.
import { z } from 'zod';
import { settingById, type PolicyValue, type SettingDef } from './catalog.ts';

export interface Policy {
  name: string;
  settings: Record<string, PolicyValue>;
}

export interface FieldError {
  /** Dotted path: `name`, `settings`, `settings.telnet`. */
  field: string;
  message: string;
}

export type PolicyValidation = { ok: true; policy: Policy } | { ok: false; errors: FieldError[] };

// Printable characters only: DisplayString is NVT ASCII, and control characters in sysLocation end up
// in other tools' logs and terminals. Non-ASCII letters are allowed (printers store UTF-8 in practice).
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function settingValueError(def: SettingDef, value: unknown): string | undefined {
  if (def.valueType === 'boolean') {
    return typeof value === 'boolean' ? undefined : `must be true or false (${def.allowed})`;
  }
  if (typeof value !== 'string') return `must be a string (${def.allowed})`;
  if (def.maxLength !== undefined && value.length > def.maxLength) {
    return `must be at most ${def.maxLength} characters (got ${value.length})`;
  }
  if (CONTROL_CHARS.test(value)) return 'must not contain control characters';
  return undefined;
}

/** The catalog-aware schema; usable inside larger zod schemas (e.g. the API body). */
export const PolicySchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    settings: z.record(z.string(), z.unknown()),
  })
  .superRefine((p, ctx) => {
    const ids = Object.keys(p.settings);
    if (ids.length === 0) ctx.addIssue({ code: 'custom', path: ['settings'], message: 'must name at least one setting' });
    for (const id of ids) {
      const def = settingById(id);
      const message = def ? settingValueError(def, p.settings[id]) : 'unknown setting (see GET /api/v1/catalog)';
      if (message) ctx.addIssue({ code: 'custom', path: ['settings', id], message });
    }
  });

/** Validates untrusted input (an API body, a stored record) against the catalog. */
export function validatePolicy(input: unknown): PolicyValidation {
  const parsed = PolicySchema.safeParse(input);
  if (parsed.success) {
    return { ok: true, policy: { name: parsed.data.name, settings: parsed.data.settings as Record<string, PolicyValue> } };
  }
  const errors = parsed.error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : '(body)',
    message: i.message,
  }));
  return { ok: false, errors };
}
