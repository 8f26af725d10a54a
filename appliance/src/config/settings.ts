// Resolves the effective settings from four layers, lowest first: defaults < saved in the store < environment
// < CLI flags. Each value remembers its source so the API can show why it has the value it has, and so a
// value forced by env or CLI is shown as locked rather than silently ignored when an admin edits it.
import { settingsSchema, settingKeys, type SettingKey, type Settings } from './schema.ts';

export type SettingSource = 'default' | 'store' | 'env' | 'cli';

export interface ResolvedSetting {
  key: SettingKey;
  value: unknown;
  source: SettingSource;
  restart: boolean;
  locked: boolean;
  help: string;
  env: string;
}

export class SettingsError extends Error {
  readonly code = 'invalid-setting';
  constructor(readonly key: string, readonly source: SettingSource, message: string) {
    super(`setting ${key} (from ${source}): ${message}`);
  }
}

function parse(key: SettingKey, raw: unknown, source: SettingSource): unknown {
  const result = settingsSchema[key].schema.safeParse(raw);
  if (!result.success) throw new SettingsError(key, source, result.error.issues.map((i) => i.message).join('; '));
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
      // A URL setting may carry a password (mqtt://user:secret@host): show that it is set, never what it is.
      const shown = def.secret ? (value ? '***' : '') : typeof value === 'string' ? value.replace(/(\/\/[^:/@\s]+:)[^@/\s]+@/, '$1***@') : value;
      return { key, value: shown, source, restart: def.restart, locked: source === 'env' || source === 'cli' || !def.storable,
        help: def.help, env: def.env };
    });
  }

  /**
   * Validates a change made through the API. Returns the parsed value to persist; the caller saves it in the
   * store and then calls apply(). Locked settings are refused, not ignored, so the admin learns why.
   */
  validateChange(key: string, raw: unknown): { key: SettingKey; value: unknown } {
    if (!(key in settingsSchema)) throw new SettingsError(key, 'store', 'unknown setting');
    const k = key as SettingKey;
    const current = this.values.get(k)!;
    if (!settingsSchema[k].storable) throw new SettingsError(k, 'store', 'cannot be changed at run time');
    if (current.source === 'env' || current.source === 'cli') {
      throw new SettingsError(k, 'store', `locked: forced by ${current.source === 'env' ? settingsSchema[k].env : 'a command-line flag'}`);
    }
    return { key: k, value: parse(k, raw, 'store') };
  }

  apply(key: SettingKey, value: unknown): void {
    this.values.set(key, { value, source: 'store' });
    for (const fn of this.listeners) fn(key, value);
  }

  onChange(fn: (key: SettingKey, value: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
