// One catalog setting in the policy editor: tick to enforce, the value in the form its kind needs (on/off,
// a named value, bits, a number, an address or "this appliance", a secret typed once), the help, the MIBs
// that define it, and which of this fleet's models supported it when assessed.
import type { Answer } from '../api.ts';
import type { CatalogEntry } from '../catalog.ts';

type CatalogSupportView = Answer<'GET /api/v1/catalog/support'>;
import { fmtValue } from '../ui.tsx';

export type Value = boolean | string | number | { set: true };
const isKept = (v: unknown): v is { set: true } => !!v && typeof v === 'object' && (v as { set?: unknown }).set === true;

/** What a freshly ticked setting starts as: the safer value where the catalog says which is off. */
export function initialValue(c: CatalogEntry): Value {
  switch (c.valueType) {
    case 'boolean': return false;
    case 'enum': return c.values!.find((v) => !v.reportOnly)!.name;
    case 'integer': return typeof c.factoryDefault === 'number' ? c.factoryDefault : c.min ?? 0;
    case 'flags': return typeof c.factoryDefault === 'string' ? c.factoryDefault : '';
    case 'ip': return c.acceptsThisAppliance ? 'this-appliance' : '';
    default: return '';
  }
}

function ValueInput(p: { c: CatalogEntry; v: Value; set: (v: Value) => void }) {
  const { c, v, set } = p;
  const label = `${c.title} value`;
  switch (c.valueType) {
    case 'boolean':
      return <select aria-label={label} value={String(v)} onChange={(e) => set(e.currentTarget.value === 'true')}><option value="false">off</option><option value="true">on</option></select>;
    case 'enum':
      return (
        <select aria-label={label} value={String(v)} onChange={(e) => set(e.currentTarget.value)}>
          {c.values!.filter((x) => !x.reportOnly).map((x) => <option key={x.name} value={x.name}>{x.name} — {x.label}</option>)}
        </select>
      );
    case 'flags': {
      const on = new Set(String(v).split(',').filter(Boolean));
      const toggle = (name: string, yes: boolean) => { if (yes) on.add(name); else on.delete(name); set(c.values!.filter((b) => on.has(b.name)).map((b) => b.name).join(',')); };
      return (
        <span class="flags" role="group" aria-label={label}>
          {c.values!.map((b) => <label key={b.name} class="inline"><input type="checkbox" checked={on.has(b.name)} onChange={(e) => toggle(b.name, e.currentTarget.checked)} /> {b.label}</label>)}
        </span>
      );
    }
    case 'integer':
      return <input type="number" aria-label={label} min={c.min} max={c.max} value={String(v)} onInput={(e) => set(e.currentTarget.value === '' ? '' : Number(e.currentTarget.value))} />;
    case 'ip':
      return (
        <span>
          {c.acceptsThisAppliance && <label class="inline"><input type="checkbox" checked={v === 'this-appliance'} onChange={(e) => set(e.currentTarget.checked ? 'this-appliance' : '')} /> this appliance</label>}
          {v !== 'this-appliance' && <input aria-label={label} value={String(v)} placeholder="e.g. 10.0.0.5, or empty for none" onInput={(e) => set(e.currentTarget.value)} />}
        </span>
      );
    case 'secret':
      return (
        <span>
          <input type="password" autocomplete="new-password" aria-label={label} maxLength={c.maxLength} value={isKept(v) ? '' : String(v)}
            placeholder={isKept(v) ? 'stored — type to replace' : 'type the secret'} onInput={(e) => set(e.currentTarget.value === '' && isKept(v) ? v : e.currentTarget.value)} />
          {isKept(v) && <small class="muted" data-testid="secret-stored"> stored, never shown</small>}
        </span>
      );
    default:
      return <input aria-label={label} value={String(v ?? '')} maxLength={c.maxLength} onInput={(e) => set(e.currentTarget.value)} />;
  }
}

function Support(p: { s?: CatalogSupportView['settings'][string] }) {
  if (!p.s) return null;
  const list = (xs: { model: string; devices: number }[]) => xs.map((x) => `${x.model} (${x.devices})`).join(', ');
  return (
    <div class="help" data-testid="fleet-support">
      In this fleet: {p.s.supportedBy.length ? <>supported by {list(p.s.supportedBy)}</> : 'supported by no model assessed'}
      {p.s.unsupportedBy.length > 0 && <>; <strong>not</strong> by {list(p.s.unsupportedBy)}</>}
    </div>
  );
}

export function SettingRow(p: { c: CatalogEntry; on: boolean; v: Value | undefined; error?: string; prompt?: boolean;
  support?: CatalogSupportView['settings'][string]; toggle: (on: boolean) => void; set: (v: Value) => void }) {
  const { c } = p;
  return (
    <li class={p.on ? 'on' : ''} data-setting={c.id}>
      <label class="inline"><input type="checkbox" checked={p.on} aria-label={`enforce ${c.title}`} onChange={(e) => p.toggle(e.currentTarget.checked)} /> <strong>{c.title}</strong></label>
      {c.guard && <span class="badge warn" title="Policies are checked so this cannot cut the appliance off">guarded</span>}
      {c.valueType === 'secret' && <span class="badge info">write-only</span>}
      {p.on && <> <ValueInput c={c} v={p.v ?? initialValue(c)} set={p.set} /></>}
      {p.prompt && <span class="field-error"> the template asks for this one: type it</span>}
      <div class="help">{c.help} <span class="muted">({c.allowed}{c.factoryDefault !== null ? `; factory: ${fmtValue(c.factoryDefault)}` : ''})</span></div>
      <div class="help muted">{c.oid} · {c.sources.join(', ')}{c.models.length ? ` · model MIBs listing it: ${c.models.join(', ')}` : ''}</div>
      <Support s={p.support} />
      {p.error && <span class="field-error">{p.error}</span>}
    </li>
  );
}
