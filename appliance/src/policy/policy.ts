// A policy names settings from the catalog and the value each must have. Anything it does not name is
// never read for compliance and never written. Validation reports every bad field at once, so the
// admin page can mark each one, and puts values in their one canonical form (flags in MIB order).
import { z } from 'zod';
import { isIpv4 } from './catalog-kinds.ts';
import { RENAMED, RETIRED, settingById, type PolicyValue, type SettingDef } from './catalog.ts';

export interface Policy {
  name: string;
  /** Secrets are in clear here: this shape lives only in memory (policy-repo.ts seals them at rest). */
  settings: Record<string, PolicyValue>;
}

/** In a request: "keep the secret already stored for this setting" (what GET answers for a stored secret). */
export interface KeepSecret { set: true }
export const isKeepSecret = (v: unknown): v is KeepSecret => !!v && typeof v === 'object' && (v as KeepSecret).set === true && Object.keys(v).length === 1;

/** A validated request: like Policy, but a secret may say "keep the stored one". */
export interface PolicyDraft { name: string; settings: Record<string, PolicyValue | KeepSecret> }

export interface FieldError {
  /** Dotted path: `name`, `settings`, `settings.telnet`. */
  field: string;
  message: string;
}

export type PolicyValidation = { ok: true; policy: PolicyDraft } | { ok: false; errors: FieldError[] };

// Printable characters only: DisplayString is NVT ASCII, and control characters in sysLocation end up
// in other tools' logs and terminals. Non-ASCII letters are allowed (printers store UTF-8 in practice).
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

type Checked = { value: PolicyValue | KeepSecret } | { error: string };

function checkFlags(def: SettingDef, value: string): Checked {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bits = def.values ?? [];
  const unknown = names.filter((n) => !bits.some((b) => b.name === n));
  if (unknown.length) return { error: `unknown ${unknown.length > 1 ? 'values' : 'value'} ${unknown.map((u) => JSON.stringify(u)).join(', ')} (${def.allowed})` };
  if (new Set(names).size !== names.length) return { error: 'names a value twice' };
  if ((def.min ?? 0) > 0 && names.length === 0) return { error: `must name at least one (${def.allowed})` };
  return { value: bits.filter((b) => names.includes(b.name)).map((b) => b.name).join(',') };
}

function checkValue(def: SettingDef, value: unknown, allowKeep: boolean): Checked {
  switch (def.valueType) {
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: `must be true or false (${def.allowed})` };
    case 'enum': {
      const v = def.values?.find((x) => x.name === value);
      if (!v) return { error: `must be one of ${def.allowed}` };
      return v.reportOnly ? { error: `"${v.name}" is a value a printer reports, not one a policy can ask for (${def.allowed})` } : { value: v.name };
    }
    case 'flags':
      return typeof value === 'string' ? checkFlags(def, value) : { error: `must be a string: ${def.allowed}` };
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= def.min! && value <= def.max! ? { value } : { error: `must be ${def.allowed}` };
    case 'ip':
      if (typeof value !== 'string') return { error: `must be a string: ${def.allowed}` };
      if (value === '' || isIpv4(value) || (def.acceptsThisAppliance && value === 'this-appliance')) return { value };
      return { error: `must be ${def.allowed}` };
    case 'secret':
      if (isKeepSecret(value)) return allowKeep ? { value } : { error: 'must be the secret itself here' };
      if (typeof value !== 'string') return { error: `must be a string (${def.allowed}), or {"set": true} to keep the stored one` };
      if (value.length < (def.minLength ?? 1) || value.length > def.maxLength!) return { error: `must be ${def.minLength ?? 1}–${def.maxLength} characters (got ${value.length})` };
      // Printers store these as DisplayString; anything else may be mangled and then never verify.
      return PRINTABLE_ASCII.test(value) ? { value } : { error: 'must be printable ASCII characters' };
    default: {
      if (typeof value !== 'string') return { error: `must be a string (${def.allowed})` };
      if (def.maxLength !== undefined && value.length > def.maxLength) return { error: `must be at most ${def.maxLength} characters (got ${value.length})` };
      return CONTROL_CHARS.test(value) ? { error: 'must not contain control characters' } : { value };
    }
  }
}

function unknownMessage(id: string): string {
  if (RENAMED[id]) return RENAMED[id];
  const retired = RETIRED.find((r) => r.id === id);
  return retired ? `no longer offered: ${retired.reason}` : 'unknown setting (see GET /api/v1/catalog)';
}

const nameSchema = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const settingsSchema = z.record(z.string(), z.unknown()).refine((x) => Object.keys(x).length <= 500, 'at most 500 settings');

/** Validates untrusted input (an API body, a stored record) against the catalog. */
export function validatePolicy(input: unknown, opts: { allowKeep?: boolean } = {}): PolicyValidation {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { ok: false, errors: [{ field: '(body)', message: 'must be an object with name and settings' }] };
  const errors: FieldError[] = [];
  const issues = (field: string, r: z.ZodSafeParseResult<unknown>) => {
    if (!r.success) errors.push(...r.error.issues.map((i) => ({ field: [field, ...i.path.map(String)].join('.'), message: i.message })));
  };
  const name = nameSchema.safeParse((input as { name?: unknown }).name);
  const given = settingsSchema.safeParse((input as { settings?: unknown }).settings);
  issues('name', name);
  issues('settings', given);
  const settings: Record<string, PolicyValue | KeepSecret> = {};
  const ids = given.success ? Object.keys(given.data) : [];
  if (given.success && ids.length === 0) errors.push({ field: 'settings', message: 'must name at least one setting' });
  for (const id of ids) {
    const def = settingById(id);
    if (!def) { errors.push({ field: `settings.${id}`, message: unknownMessage(id) }); continue; }
    const r = checkValue(def, given.data![id], opts.allowKeep ?? false);
    if ('error' in r) errors.push({ field: `settings.${id}`, message: r.error });
    else settings[id] = r.value;
  }
  return errors.length || !name.success ? { ok: false, errors } : { ok: true, policy: { name: name.data, settings } };
}
