// Settings as the store keeps them. Secrets (smtpPassword, metricsToken) and URLs that may carry a password
// (mqttUrl) are sealed with the data folder's secret key, as SNMP credentials are (snmp/secret-box.ts): a
// copy of the database, or a LevelDB file read off the card without secret.key, does not give them away.
// Values stored in clear by earlier versions are still read, and sealed again at the next start.
import { settingsSchema, type SettingKey } from './schema.ts';

/** What seals and opens (snmp/secret-box.ts `SecretBox`); passed in so this room needs no crypto. */
export interface Sealer { seal(value: unknown): string; open(blob: string): unknown }

interface SealedValue { sealed: string }

export function isSealedSetting(key: string): boolean {
  return settingsSchema[key as SettingKey]?.sealed === true;
}

export function isSealedValue(v: unknown): v is SealedValue {
  return !!v && typeof v === 'object' && typeof (v as SealedValue).sealed === 'string' && Object.keys(v).length === 1;
}

/** The value to put in the store for a setting. */
export function toStored(key: string, value: unknown, box: Sealer): unknown {
  return isSealedSetting(key) ? { sealed: box.seal(value) } : value;
}

/** The value a stored record holds (opened when sealed); throws when a sealed value does not open. */
export function fromStored(key: string, stored: unknown, box: Sealer): unknown {
  if (!isSealedValue(stored)) return stored;
  try {
    return box.open(stored.sealed);
  } catch (err) {
    throw new Error(`the stored setting ${key} does not open with this data folder's secret.key (${(err as Error).message})`);
  }
}

/** Opens every stored setting; `legacy` lists sealed settings still stored in clear (to be sealed again). */
export function openStoredSettings(entries: Iterable<[string, unknown]>, box: Sealer): { values: Record<string, unknown>; legacy: string[] } {
  const values: Record<string, unknown> = {};
  const legacy: string[] = [];
  for (const [key, stored] of entries) {
    values[key] = fromStored(key, stored, box);
    if (isSealedSetting(key) && !isSealedValue(stored)) legacy.push(key);
  }
  return { values, legacy };
}
