// Autogroup filters: JSON an admin writes (or the page's editor builds), validated field by field and
// compiled once into a closure, because one change of a hundred groups is re-evaluated over every device.
//
//   {"all":[{"field":"model","op":"contains","value":"M555"},{"not":{"field":"ipv4","op":"inRange","value":"10.1.2.0/24"}}]}
//
// A node is a condition {field, op, value}, {"not": node}, {"all": [nodes]} or {"any": [nodes]}; all/any
// nest one level deep (a group of groups of conditions), which covers "(A and B) or C" without turning the
// editor into a programming language. Text comparisons ignore case.
import { z } from 'zod';
import type { DeviceFacts } from './facts.ts';
import { compileGlob, ipv4ToNumber, normalizeMac, parseIpv4Range } from './match.ts';

export const FILTER_OPS = ['equals', 'contains', 'glob', 'prefix', 'inRange', 'in'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

const TEXT_OPS: FilterOp[] = ['equals', 'contains', 'glob', 'prefix', 'in'];
const ENUM_OPS: FilterOp[] = ['equals', 'in'];

interface FieldDef { ops: FilterOp[]; help: string; values?: readonly string[] }

/** The fields a filter may test; the page's editor is built from this table (GET /api/v1/groups/fields). */
export const FILTER_FIELDS = {
  model: { ops: TEXT_OPS, help: 'Model name, e.g. HP LaserJet Enterprise M611dn' },
  serial: { ops: TEXT_OPS, help: 'Serial number' },
  mac: { ops: ['equals', 'prefix', 'contains', 'glob', 'in'], help: 'MAC address; prefix a0:d3:c1 (or a0d3c1) matches a vendor block' },
  ipv4: { ops: ['equals', 'inRange', 'prefix', 'glob', 'in'], help: 'IPv4 address; inRange takes a CIDR (10.1.2.0/24) or a range (10.0.1.10-10.0.1.40)' },
  hostname: { ops: TEXT_OPS, help: 'Host name; glob: * any run, ? one character (npi*.branch.lan)' },
  firmware: { ops: TEXT_OPS, help: 'Firmware version' },
  foundBy: { ops: ENUM_OPS, help: 'How the device was found', values: ['announcement', 'discovery', 'manual'] },
  compliance: { ops: ENUM_OPS, help: 'Status of the latest assessment',
    values: ['compliant', 'non-compliant', 'remediated', 'unsupported', 'unreachable', 'auth-failed', 'not-assessed'] },
  lastAuth: { ops: ['equals', 'prefix', 'in'], help: 'Result of the last authentication: ok, never, or the failed check (expired, untrusted-issuer, revoked, no-certificate, …)' },
  authMethod: { ops: ENUM_OPS, help: 'How the device authenticated last time', values: ['anonymous', 'mutual'] },
} satisfies Record<string, FieldDef>;

export type FilterField = keyof typeof FILTER_FIELDS;
export const FILTER_FIELD_NAMES = Object.keys(FILTER_FIELDS) as FilterField[];

export interface Condition { field: FilterField; op: FilterOp; value: string | string[] }
export type FilterNode = Condition | { not: FilterNode } | { all: FilterNode[] } | { any: FilterNode[] };

/**
 * `depth` bounds nesting of every kind, "not" included: all/any nest one level deep, but a chain of "not"s
 * was unbounded — 9,000 of them in a 64 KiB body overflowed the stack (a 500) and 3,000 took ~150 MB to check.
 */
export const FILTER_LIMITS = { listItems: 50, conditions: 200, inValues: 1000, text: 256, depth: 8 } as const;

const text = z.string().trim().min(1, 'must not be empty').max(FILTER_LIMITS.text, `must be at most ${FILTER_LIMITS.text} characters`);

const conditionShape = z.object({
  field: z.string().refine((f): f is FilterField => f in FILTER_FIELDS, { message: `unknown field (one of ${FILTER_FIELD_NAMES.join(', ')})` }),
  op: z.enum(FILTER_OPS, { message: `unknown op (one of ${FILTER_OPS.join(', ')})` }),
  value: z.union([text, z.array(text).min(1, 'must list at least one value').max(FILTER_LIMITS.inValues, `at most ${FILTER_LIMITS.inValues} values`)],
    { message: 'must be a string (an array for op "in")' }),
}).strict();

/** Checks one value against its field and op; returns a message, or undefined when it is fine. */
function valueProblem(field: FilterField, op: FilterOp, v: string): string | undefined {
  const def: FieldDef = FILTER_FIELDS[field];
  if (def.values && !def.values.includes(v)) return `"${v}" is not one of ${def.values.join(', ')}`;
  if (field === 'ipv4' && (op === 'equals' || op === 'in') && ipv4ToNumber(v) < 0) return `"${v}" is not an IPv4 address`;
  if (op === 'inRange') { const r = parseIpv4Range(v); if ('error' in r) return r.error; }
  if (field === 'mac' && op !== 'glob' && op !== 'contains' && !/^[0-9a-f]{2}(:[0-9a-f]{2}){0,5}:?$/.test(normalizeMac(v))) return `"${v}" is not a MAC address or prefix`;
  return undefined;
}

function checkCondition(node: unknown, path: (string | number)[], ctx: z.RefinementCtx) {
  const r = conditionShape.safeParse(node);
  if (!r.success) {
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', path: [...path, ...i.path.map((p) => p as string | number)], message: i.message });
    return;
  }
  const { field, op, value } = r.data as Condition;
  const def: FieldDef = FILTER_FIELDS[field];
  if (!def.ops.includes(op)) {
    ctx.addIssue({ code: 'custom', path: [...path, 'op'], message: `field ${field} takes ${def.ops.join(', ')}` });
    return;
  }
  if ((op === 'in') !== Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', path: [...path, 'value'], message: op === 'in' ? 'op "in" takes an array of values' : 'must be a single string (arrays are for op "in")' });
    return;
  }
  const values = Array.isArray(value) ? value : [value];
  values.forEach((v, i) => {
    const message = valueProblem(field, op, v);
    if (message) ctx.addIssue({ code: 'custom', path: Array.isArray(value) ? [...path, 'value', i] : [...path, 'value'], message });
  });
}

const COMBINATORS = ['all', 'any', 'not'];

function walk(node: unknown, path: (string | number)[], groupDepth: number, count: { n: number }, ctx: z.RefinementCtx, depth = 0) {
  if (depth > FILTER_LIMITS.depth) {
    ctx.addIssue({ code: 'custom', path, message: `a filter nests at most ${FILTER_LIMITS.depth} levels (all, any and not together)` });
    return;
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) {
    ctx.addIssue({ code: 'custom', path, message: 'must be a condition {field, op, value} or one of {all: [...]}, {any: [...]}, {not: {...}}' });
    return;
  }
  const keys = Object.keys(node);
  const combinator = keys.find((k) => COMBINATORS.includes(k));
  if (!combinator) {
    if (++count.n === FILTER_LIMITS.conditions + 1) ctx.addIssue({ code: 'custom', path, message: `a filter has at most ${FILTER_LIMITS.conditions} conditions` });
    checkCondition(node, path, ctx);
    return;
  }
  if (keys.length !== 1) {
    ctx.addIssue({ code: 'custom', path: [...path, keys.find((k) => k !== combinator)!], message: `"${combinator}" cannot be combined with other keys in one object` });
    return;
  }
  const inner = (node as Record<string, unknown>)[combinator];
  if (combinator === 'not') { walk(inner, [...path, 'not'], groupDepth, count, ctx, depth + 1); return; }
  if (groupDepth >= 2) {
    ctx.addIssue({ code: 'custom', path: [...path, combinator], message: 'all/any nest only one level deep (a group of groups of conditions)' });
    return;
  }
  if (!Array.isArray(inner) || inner.length === 0 || inner.length > FILTER_LIMITS.listItems) {
    ctx.addIssue({ code: 'custom', path: [...path, combinator], message: `must be an array of 1 to ${FILTER_LIMITS.listItems} conditions or groups` });
    return;
  }
  inner.forEach((child, i) => walk(child, [...path, combinator, i], groupDepth + 1, count, ctx, depth + 1));
}

/** The zod schema of a filter: every problem is reported with its path (filter.all.1.value, …). */
export const FilterSchema = z.unknown().superRefine((v, ctx) => walk(v, [], 0, { n: 0 }, ctx)).transform((v) => v as FilterNode);

export type Predicate = (f: DeviceFacts) => boolean;

// One small function per field rather than f[field]: a keyed read with a variable key is a slow lookup
// in the innermost loop of a recompute; a fixed property read is a single load.
const ACCESSORS: Record<Exclude<FilterField, 'foundBy'>, (f: DeviceFacts) => string> = {
  model: (f) => f.model, serial: (f) => f.serial, mac: (f) => f.mac, ipv4: (f) => f.ipv4, hostname: (f) => f.hostname,
  firmware: (f) => f.firmware, compliance: (f) => f.compliance, lastAuth: (f) => f.lastAuth, authMethod: (f) => f.authMethod,
};

function compileCondition(c: Condition): Predicate {
  const field = c.field;
  const norm = (v: string) => (field === 'mac' ? normalizeMac(v) : field === 'foundBy' || field === 'compliance' || field === 'authMethod' ? v : v.toLowerCase());
  if (field === 'foundBy') {
    const wanted = new Set((Array.isArray(c.value) ? c.value : [c.value]).map(norm));
    return (f) => f.foundBy.some((w) => wanted.has(w));
  }
  if (c.op === 'inRange') {
    const r = parseIpv4Range(c.value as string);
    if ('error' in r) throw new Error(r.error);
    const { lo, hi } = r;
    return (f) => f.ipv4n >= lo && f.ipv4n <= hi;
  }
  const get = ACCESSORS[field];
  if (c.op === 'in') {
    const set = new Set((c.value as string[]).map(norm));
    return (f) => set.has(get(f));
  }
  const v = norm(c.value as string);
  switch (c.op) {
    case 'equals': return (f) => get(f) === v;
    case 'contains': return (f) => get(f).includes(v);
    case 'prefix': return (f) => get(f).startsWith(v);
    case 'glob': { const m = compileGlob(v); return (f) => m(get(f)); }
  }
}

/** Turns a validated filter into a predicate; call FilterSchema first (compile trusts its input). */
export function compileFilter(node: FilterNode): Predicate {
  if ('not' in node) { const p = compileFilter(node.not); return (f) => !p(f); }
  if ('all' in node) {
    const ps = node.all.map(compileFilter);
    if (ps.length === 1) return ps[0];
    return (f) => { for (const p of ps) if (!p(f)) return false; return true; };
  }
  if ('any' in node) {
    const ps = node.any.map(compileFilter);
    if (ps.length === 1) return ps[0];
    return (f) => { for (const p of ps) if (p(f)) return true; return false; };
  }
  return compileCondition(node);
}

/** Validates and compiles untrusted input; the errors name the path inside the filter. */
export function parseFilter(input: unknown): { ok: true; filter: FilterNode; match: Predicate } | { ok: false; errors: { field: string; message: string }[] } {
  const r = FilterSchema.safeParse(input);
  if (!r.success) return { ok: false, errors: r.error.issues.map((i) => ({ field: i.path.length ? i.path.map(String).join('.') : '(filter)', message: i.message })) };
  return { ok: true, filter: r.data, match: compileFilter(r.data) };
}
