// Public surface of the config room: other rooms import only from here.
export { settingsSchema, SETTING_GROUPS } from './schema.ts';
export type { SettingKey } from './schema.ts';
export { SettingsView } from './settings.ts';
export { fromStored, openStoredSettings, toStored } from './stored-settings.ts';
