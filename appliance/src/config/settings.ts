// Resolves the effective settings from four layers, lowest first: defaults < saved in the store < environment
// < CLI flags. Each value remembers its source so the API can show why it has the value it has, and so a
// value forced by env or CLI is shown as locked rather than silently ignored when an admin edits it.
import { z } from 'zod';
import { settingsSchema, settingKeys, type SettingKey, type Settings } from './schema.ts';
import { maskUrlPasswords } from '../util/url-secret.ts';

export type SettingSource = 'default' | 'store' | 'env' | 'cli';

export interface ResolvedSetting {
  key: SettingKey;
  /** The value in use now. */
  value: unknown;
  source: SettingSource;
  restart: boolean;
  locked: boolean;
  help: string;
  env: string;
  /** The page's words for it (config/schema.ts): a short name, its section, the unit of a number. */
  label: string;
  group: string;
  unit?: string;
  /** A secret: shown only as set or not. */
  secret?: boolean;
  /** The values a choice setting takes. */
  choices?: string[];
  /** A saved value that takes effect at the next start (restart settings only). */
  pending?: unknown;
}

/** Why a setting was refused; the API maps each code to its HTTP status in one table (api/errors.ts). */
export type SettingsErrorCode = 'unknown-setting' | 'invalid-setting' | 'setting-locked' | 'setting-not-storable';

export class SettingsError extends Error {
  constructor(readonly key: string, readonly source: SettingSource, readonly reason: string, readonly code: SettingsErrorCode = 'invalid-setting') {
    super(`setting ${key} (from ${source}): ${reason}`);
  }
  /** For the API's 400: the setting at fault, in words ("DNS port: must be at most 65535"). */
  get details() {
    const label = (settingsSchema as Record<string, { label?: string }>)[this.key]?.label;
    return [{ field: this.key, message: label ? `${label}: ${this.reason}` : this.reason }];
  }
}

/** A validation problem in the page's words rather than the validator's ("Too big: expected number to be <=65535"). */
export function inWords(issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & { minimum?: number | bigint; maximum?: number | bigint; origin?: string; expected?: string; values?: unknown[]; input?: unknown };
  switch (i.code) {
    case 'too_small':
      if (i.origin === 'string') return Number(i.minimum) <= 1 ? 'must not be empty' : `must be at least ${i.minimum} characters`;
      if (i.origin === 'array') return `needs at least ${i.minimum} entr${Number(i.minimum) === 1 ? 'y' : 'ies'}`;
      return `must be at least ${i.minimum}`;
    case 'too_big':
      if (i.origin === 'string') return `must be at most ${i.maximum} characters`;
      if (i.origin === 'array') return `at most ${i.maximum} entries`;
      return `must be at most ${i.maximum}`;
    case 'invalid_type':
      if (i.expected === 'number' || i.expected === 'int') return 'must be a number';
      if (i.expected === 'boolean') return 'must be on or off (true or false)';
      if (i.expected === 'array') return 'must be a list (comma-separated)';
      return `must be ${i.expected === 'string' ? 'text' : `a ${i.expected}`}`;
    case 'invalid_value': return `must be one of ${(i.values ?? []).map(String).join(', ')}`;
    default: return issue.message;
  }
}

/** A URL setting may carry a password (mqtt://user:secret@host): show that it is set, never what it is. */
function mask(value: unknown, secret = false): unknown {
  // A secret setting (a password, a token) shows only whether it is set.
  if (secret) return value ? '***' : '';
  return typeof value === 'string' ? maskUrlPasswords(value) : value;
}

function parse(key: SettingKey, raw: unknown, source: SettingSource): unknown {
  const result = settingsSchema[key].schema.safeParse(raw);
  if (!result.success) throw new SettingsError(key, source, result.error.issues.map((i) => { const w = inWords(i); return i.path.length && !w.startsWith('entry') ? `entry ${Number(i.path[0]) + 1}: ${w}` : w; }).join('; '));
  return result.data;
}

export interface SettingsLayers {
  stored?: Partial<Record<string, unknown>>;
  env?: NodeJS.ProcessEnv;
  cli?: Partial<Record<string, unknown>>;
}

export class SettingsView {
  private values = new Map<SettingKey, { value: unknown; source: SettingSource }>();
  private listeners = new Set<(key: SettingKey, value: unknown) => void>();
  private pending = new Map<SettingKey, unknown>();

  constructor(layers: SettingsLayers) {
    for (const key of settingKeys) {
      const def = settingsSchema[key];
      let value: unknown = def.default;
      let source: SettingSource = 'default';
      const stored = layers.stored?.[key];
      if (stored !== undefined && def.storable) { value = parse(key, stored, 'store'); source = 'store'; }
      const envRaw = layers.env?.[def.env];
      if (envRaw !== undefined && envRaw !== '') { value = parse(key, envRaw, 'env'); source = 'env'; }
      const cliRaw = layers.cli?.[key];
      if (cliRaw !== undefined) { value = parse(key, cliRaw, 'cli'); source = 'cli'; }
      this.values.set(key, { value, source });
    }
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return this.values.get(key)!.value as Settings[K];
  }

  all(): Settings {
    return Object.fromEntries(settingKeys.map((k) => [k, this.get(k)])) as Settings;
  }

  describe(): ResolvedSetting[] {
    return settingKeys.map((key) => {
      const { value, source } = this.values.get(key)!;
      const def = settingsSchema[key];
      const shown = mask(value, def.secret);
      return { key, value: shown, source, restart: def.restart, locked: source === 'env' || source === 'cli' || !def.storable,
        help: def.help, env: def.env, label: def.label ?? key, group: def.group ?? 'Other', ...(def.unit ? { unit: def.unit } : {}), ...(def.secret ? { secret: true } : {}),
        ...choices(def.schema), ...(this.pending.has(key) ? { pending: mask(this.pending.get(key), def.secret) } : {}) };
    });
  }

  /**
   * Validates a change made through the API. Returns the parsed value to persist; the caller saves it in the
   * store and then calls apply(). Locked settings are refused, not ignored, so the admin learns why.
   */
  validateChange(key: string, raw: unknown): { key: SettingKey; value: unknown } {
    if (!(key in settingsSchema)) throw new SettingsError(key, 'store', 'unknown setting', 'unknown-setting');
    const k = key as SettingKey;
    const current = this.values.get(k)!;
    if (!settingsSchema[k].storable) throw new SettingsError(k, 'store', 'cannot be changed at run time', 'setting-not-storable');
    if (current.source === 'env' || current.source === 'cli') {
      throw new SettingsError(k, 'store', `locked: forced by ${current.source === 'env' ? settingsSchema[k].env : 'a command-line flag'}`, 'setting-locked');
    }
    return { key: k, value: parse(k, raw, 'store') };
  }

  /**
   * Applies a saved value. A setting marked `restart` keeps its running value and shows the saved one as
   * pending until the next start (a port cannot move under open connections); the others change now and
   * their subscribers hear of it.
   */
  apply(key: SettingKey, value: unknown, opts: { starting?: boolean } = {}): void {
    if (settingsSchema[key].restart && !opts.starting) {
      this.pending.set(key, value);
      return;
    }
    this.values.set(key, { value, source: 'store' });
    for (const fn of this.listeners) fn(key, value);
  }

  /** Settings saved but waiting for a restart. */
  pendingRestart(): SettingKey[] { return [...this.pending.keys()]; }

  onChange(fn: (key: SettingKey, value: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** The values an enum setting takes, so the page offers a choice instead of a text field. */
function choices(schema: z.ZodType): { choices?: string[] } {
  const opts = (schema as { options?: unknown }).options;
  return Array.isArray(opts) && opts.every((o) => typeof o === 'string') ? { choices: opts as string[] } : {};
}
