import { z } from 'zod';
import { open } from './common.ts';

export const settingView = open({
  key: z.string(), value: z.unknown(), source: z.enum(['default', 'store', 'env', 'cli']), restart: z.boolean(), locked: z.boolean(),
  help: z.string(), env: z.string(), pending: z.unknown().optional(),
  label: z.string(), group: z.string(), unit: z.string().optional(), secret: z.boolean().optional(), choices: z.array(z.string()).optional(),
});
export type SettingViewT = z.infer<typeof settingView>;
/** `groups`: the page's sections in the order to show them. */
export const settingsList = open({ settings: z.array(settingView), groups: z.array(z.string()).optional() });
/** PUT /api/v1/settings: { key: value, … }; every value is validated by its row of config/schema.ts. */
export const settingsPut = z.record(z.string(), z.unknown());
export const settingsPutAnswer = settingsList.extend({ restartNeeded: z.array(z.string()) });
