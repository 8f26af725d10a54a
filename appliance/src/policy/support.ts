// Which printer models of this fleet support each setting, from what the last assessment of each device
// found (a setting a device lacks is reported "unsupported" by the assessment). Pure: it reads device records.

export interface SupportInput {
  model?: string;
  retired?: unknown;
  compliance?: { settings: ReadonlyArray<{ id: string; supported: boolean }> };
}

export interface ModelCount { model: string; devices: number }
export interface SettingSupport { supportedBy: ModelCount[]; unsupportedBy: ModelCount[] }

export function fleetSupport(devices: Iterable<SupportInput>): { settings: Record<string, SettingSupport>; assessedDevices: number } {
  const counts = new Map<string, { yes: Map<string, number>; no: Map<string, number> }>();
  let assessed = 0;
  for (const d of devices) {
    if (d.retired || !d.compliance?.settings.length) continue;
    assessed++;
    const model = d.model || 'unknown model';
    for (const s of d.compliance.settings) {
      let c = counts.get(s.id);
      if (!c) counts.set(s.id, (c = { yes: new Map(), no: new Map() }));
      const m = s.supported ? c.yes : c.no;
      m.set(model, (m.get(model) ?? 0) + 1);
    }
  }
  const list = (m: Map<string, number>) => [...m].map(([model, devices]) => ({ model, devices })).sort((a, b) => a.model.localeCompare(b.model));
  const settings: Record<string, SettingSupport> = {};
  for (const [id, c] of counts) settings[id] = { supportedBy: list(c.yes), unsupportedBy: list(c.no) };
  return { settings, assessedDevices: assessed };
}
