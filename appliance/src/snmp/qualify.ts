// Is there a printer at this address, and which one? One SNMP conversation per address for discovery:
//  1. a GET of the system group, sent under every candidate credential at once (a wrong v2c community is
//     silence, so trying them one after another would cost a full timeout each on every empty address);
//     when several answer, the first in the usual order (device → default → global) is used;
//  2. one GETNEXT for the identity: the first row of hrDeviceType / hrDeviceDescr (HOST-RESOURCES-MIB),
//     prtGeneralSerialNumber and anything under the Printer-MIB (RFC 3805), ifPhysAddress, and HP's own
//     model-name, serial-number and fw-rom objects (HP netPML "system id" group);
//  3. more GETNEXTs down ifPhysAddress only while the rows have no MAC (row 1 is usually the loopback).
// A printer is a device whose first hrDeviceType row is hrDevicePrinter or whose Printer-MIB answers; its
// serial comes from prtGeneralSerialNumber, else HP's serial object. Everything read is untrusted: values
// are cut to size, stripped of control characters and validated before anything is kept.
import snmp, { type Varbind } from 'net-snmp';
import type { Credential, CredentialRef } from './credentials.ts';
import { SnmpSession, type RequestFailure } from './session.ts';

export const QUALIFY_OID = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  hrDeviceType: '1.3.6.1.2.1.25.3.2.1.2',
  hrDeviceDescr: '1.3.6.1.2.1.25.3.2.1.3',
  hrDevicePrinter: '1.3.6.1.2.1.25.3.1.5',
  printerMib: '1.3.6.1.2.1.43',
  prtGeneralSerialNumber: '1.3.6.1.2.1.43.5.1.1.17',
  ifPhysAddress: '1.3.6.1.2.1.2.2.1.6',
  hpModelName: '1.3.6.1.4.1.11.2.3.9.4.2.1.1.3.2',
  hpSerialNumber: '1.3.6.1.4.1.11.2.3.9.4.2.1.1.3.3',
  hpFwRom: '1.3.6.1.4.1.11.2.3.9.4.2.1.1.3.6',
  hpEnterprise: '1.3.6.1.4.1.11',
} as const;

const SERIAL = /^[A-Za-z0-9-]{1,32}$/;
const HOSTNAME = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/;
const MAC_ROWS = 4;

export interface QualifiedPrinter {
  serialNumber: string;
  model: string;
  hostname?: string;
  macAddress?: string;
  firmware?: string;
  vendor: 'hp' | 'other';
}

export type Qualification =
  | { kind: 'printer'; printer: QualifiedPrinter; credential: CredentialRef }
  /** A printer (Printer-MIB or hrDeviceType says so) without a usable serial number: it cannot be a device. */
  | { kind: 'unidentified'; detail: string; model?: string; credential: CredentialRef }
  /** Something else answering SNMP (a router, a NAS): counted, never added. */
  | { kind: 'not-printer'; sysDescr: string; sysObjectID: string; credential: CredentialRef }
  | { kind: 'no-answer'; detail: string }
  /** An SNMPv3 agent answered, but refused every credential we have. */
  | { kind: 'auth-failed'; detail: string };

export interface QualifyRequest {
  host: string;
  port: number;
  /** In order of preference (device, default, global…). */
  candidates: Array<{ ref: CredentialRef; credential: Credential }>;
  timeoutMs: number;
  retries: number;
}

/** Never rejects: whatever the network or the device does becomes a Qualification. */
export async function qualify(req: QualifyRequest): Promise<{ result: Qualification; packets: number }> {
  const sessions: SnmpSession[] = [];
  let result: Qualification;
  try {
    result = await converse(req, sessions);
  } catch (err) {
    result = { kind: 'no-answer', detail: `adapter error: ${(err as Error)?.message ?? String(err)}` };
  } finally {
    for (const s of sessions) s.close();
  }
  return { result, packets: sessions.reduce((n, s) => n + s.roundTrips, 0) };
}

async function converse(req: QualifyRequest, sessions: SnmpSession[]): Promise<Qualification> {
  if (req.candidates.length === 0) return { kind: 'no-answer', detail: 'no SNMP credential configured' };
  for (const c of req.candidates) sessions.push(new SnmpSession({ host: req.host, port: req.port, timeoutMs: req.timeoutMs, retries: req.retries }, c.credential));
  const winner = await firstAnswer(sessions.map((s) => s.get([QUALIFY_OID.sysDescr, QUALIFY_OID.sysObjectID, QUALIFY_OID.sysName])));
  if (!winner.ok) return winner.result;
  // The others are still waiting for an answer that is not needed: close them now.
  sessions.forEach((s, i) => { if (i !== winner.index) s.close(); });
  const credential = req.candidates[winner.index].ref;
  const identity = await readIdentity(sessions[winner.index]);
  if (!identity.ok) return { kind: 'unidentified', detail: `identity not readable: ${identity.failure.detail}`, credential };
  return judge(byOid(winner.varbinds), identity.rows, credential);
}

type Answer = { ok: true; index: number; varbinds: Varbind[] } | { ok: false; result: Qualification };

/** The first credential to get an answer (the lower index when several have answered by then). */
async function firstAnswer(requests: Promise<Awaited<ReturnType<SnmpSession['get']>>>[]): Promise<Answer> {
  return new Promise((resolve) => {
    const failures: (RequestFailure | undefined)[] = [];
    let pending = requests.length;
    requests.forEach((p, index) => void p.then((r) => {
      if (r.ok) return resolve({ ok: true, index, varbinds: r.varbinds });
      failures[index] = r.failure;
      if (--pending > 0) return;
      const auth = failures.find((f) => f?.kind === 'auth-failed');
      resolve({ ok: false, result: auth ? { kind: 'auth-failed', detail: auth.detail } : { kind: 'no-answer', detail: failures[0]?.detail ?? 'no answer' } });
    }));
  });
}

type Rows = Map<string, Varbind>;

/** One GETNEXT for every identity column; then down ifPhysAddress while the rows have no MAC. */
async function readIdentity(session: SnmpSession): Promise<{ ok: true; rows: Rows } | { ok: false; failure: RequestFailure }> {
  const starts = [QUALIFY_OID.hrDeviceType, QUALIFY_OID.hrDeviceDescr, QUALIFY_OID.printerMib, QUALIFY_OID.prtGeneralSerialNumber,
    QUALIFY_OID.ifPhysAddress, QUALIFY_OID.hpModelName, QUALIFY_OID.hpSerialNumber, QUALIFY_OID.hpFwRom];
  let r = await session.getNext(starts);
  let varbinds: Varbind[];
  if (r.ok) varbinds = r.varbinds;
  else if (r.failure.kind === 'too-big' || r.failure.kind === 'error-status') {
    // Small stacks refuse eight varbinds at once (tooBig) or one unknown object spoils the lot: ask one by one.
    varbinds = [];
    for (const oid of starts) {
      const one = await session.getNext([oid]);
      if (one.ok && one.varbinds[0]) varbinds.push(one.varbinds[0]);
      else if (!one.ok && one.failure.kind === 'unreachable') return { ok: false, failure: one.failure };
    }
  } else return { ok: false, failure: r.failure };
  const rows: Rows = new Map();
  starts.forEach((start, i) => { const vb = varbinds[i]; if (vb && typeof vb.oid === 'string') rows.set(start, vb); });
  for (let i = 0; i < MAC_ROWS && !macOf(rows.get(QUALIFY_OID.ifPhysAddress)); i++) {
    const at = rows.get(QUALIFY_OID.ifPhysAddress);
    if (!at || !within(at, QUALIFY_OID.ifPhysAddress)) break;
    r = await session.getNext([at.oid]);
    if (!r.ok || !r.varbinds[0]) break;
    rows.set(QUALIFY_OID.ifPhysAddress, r.varbinds[0]);
  }
  return { ok: true, rows };
}

function judge(sys: Map<string, Varbind>, rows: Rows, credential: CredentialRef): Qualification {
  const sysObjectID = oidValue(sys.get(QUALIFY_OID.sysObjectID)) ?? '';
  const sysDescr = text(sys.get(QUALIFY_OID.sysDescr), 255) ?? '';
  const typeRow = rows.get(QUALIFY_OID.hrDeviceType);
  const isPrinter = (within(typeRow, QUALIFY_OID.hrDeviceType) && oidValue(typeRow) === QUALIFY_OID.hrDevicePrinter)
    || within(rows.get(QUALIFY_OID.printerMib), QUALIFY_OID.printerMib);
  if (!isPrinter) return { kind: 'not-printer', sysDescr: sysDescr.slice(0, 120), sysObjectID: sysObjectID.slice(0, 128), credential };

  const scalar = (oid: string, max: number) => { const vb = rows.get(oid); return vb?.oid === `${oid}.0` ? text(vb, max) : undefined; };
  const hpSerial = scalar(QUALIFY_OID.hpSerialNumber, 64);
  const hpModel = scalar(QUALIFY_OID.hpModelName, 128);
  const descrRow = rows.get(QUALIFY_OID.hrDeviceDescr);
  const serialRow = rows.get(QUALIFY_OID.prtGeneralSerialNumber);
  const prtSerial = within(serialRow, QUALIFY_OID.prtGeneralSerialNumber) ? text(serialRow, 64) : undefined;
  const model = (hpModel || (within(descrRow, QUALIFY_OID.hrDeviceDescr) ? text(descrRow, 128) : undefined) || sysDescr.slice(0, 128) || 'unknown printer').trim();
  const serialNumber = [prtSerial, hpSerial].find((s) => s !== undefined && SERIAL.test(s));
  if (!serialNumber) {
    const seen = prtSerial ?? hpSerial;
    return { kind: 'unidentified', model, credential,
      detail: seen === undefined ? 'a printer, but it reports no serial number' : `a printer, but its serial number ${JSON.stringify(seen.slice(0, 40))} is not 1–32 of A-Z a-z 0-9 -` };
  }
  const hostname = text(sys.get(QUALIFY_OID.sysName), 253);
  const firmware = scalar(QUALIFY_OID.hpFwRom, 64);
  const hp = sysObjectID.startsWith(`${QUALIFY_OID.hpEnterprise}.`) || hpSerial !== undefined || hpModel !== undefined;
  return {
    kind: 'printer', credential,
    printer: { serialNumber, model, vendor: hp ? 'hp' : 'other', macAddress: macOf(rows.get(QUALIFY_OID.ifPhysAddress)),
      hostname: hostname && HOSTNAME.test(hostname) ? hostname : undefined, firmware: firmware || undefined },
  };
}

function byOid(varbinds: Varbind[]): Map<string, Varbind> {
  const out = new Map<string, Varbind>();
  for (const vb of varbinds) if (vb && typeof vb.oid === 'string') out.set(vb.oid, vb);
  return out;
}

/** A real value (not noSuchObject/endOfMibView) in the subtree under `prefix`. */
function within(vb: Varbind | undefined, prefix: string): vb is Varbind {
  return !!vb && typeof vb.oid === 'string' && vb.oid.startsWith(`${prefix}.`) && !isException(vb);
}

function isException(vb: Varbind): boolean {
  return vb.type === snmp.ObjectType.NoSuchObject || vb.type === snmp.ObjectType.NoSuchInstance || vb.type === snmp.ObjectType.EndOfMibView;
}

/** An OCTET STRING as printable text: cut to `max`, control characters removed, trimmed; undefined if empty. */
function text(vb: Varbind | undefined, max: number): string | undefined {
  if (!vb || isException(vb) || vb.type !== snmp.ObjectType.OctetString) return undefined;
  const buf = Buffer.isBuffer(vb.value) ? vb.value : typeof vb.value === 'string' ? Buffer.from(vb.value) : undefined;
  if (!buf) return undefined;
  const s = buf.subarray(0, max * 4).toString('utf8').replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '').trim().slice(0, max).trim();
  return s || undefined;
}

function oidValue(vb: Varbind | undefined): string | undefined {
  return vb && vb.type === snmp.ObjectType.OID && typeof vb.value === 'string' ? vb.value : undefined;
}

/** Six bytes, not all zero, as aa:bb:cc:dd:ee:ff. */
function macOf(vb: Varbind | undefined): string | undefined {
  if (!within(vb, QUALIFY_OID.ifPhysAddress) || !Buffer.isBuffer(vb.value) || vb.value.length !== 6 || vb.value.every((b) => b === 0)) return undefined;
  return [...vb.value].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
