// A real SNMP agent (net-snmp createAgent) per simulated printer, on its own loopback address, serving
// the catalog settings with factory defaults. Three things net-snmp's agent cannot do on its own are
// added through the `dgramModule` hook it accepts (we hand it sockets we wrapped):
//  - bind to port 0 (it turns 0 into 161): our bind() substitutes the requested port;
//  - delay replies (benchmarks): our send() waits `delayMs` before sending;
//  - answer a bad v3 digest with a usmStatsWrongDigests Report like snmpd: our "message" listener knows
//    which datagram is being processed when the agent reports the failure, and answers it.
import crypto from 'node:crypto';
import { isIPv6 } from 'node:net';
import snmp, { type Agent, type Mib, type ProviderDefinition } from 'net-snmp';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from '../snmp/protocols.ts';
import { CATALOG, settingById, type PolicyValue, type SettingDef } from '../policy/catalog.ts';
// Not network code: the same net-snmp key-localization cache the adapter uses. Every simulated printer
// has its own engineID, so without it a fleet on SNMPv3 costs ~4 ms of hashing per printer.
import { installKeyCache } from '../snmp/key-cache.ts';
import { DEFAULT_MODEL, PRINTER_MODELS, type PrinterModel, type PrinterModelName } from './printer-models.ts';
import { wrapSockets, type SocketState } from './agent-sockets.ts';
import { buildUsmReport, parseV3Header, USM_WRONG_DIGESTS } from './usm-report.ts';
import { registerIdentity, type SimIdentity } from './identity-mib.ts';

export interface SimUser {
  name: string;
  authProtocol: 'sha' | 'sha256';
  authKey: string;
  privProtocol: 'aes' | 'aes256';
  privKey: string;
}

export interface SimAgentOptions {
  /** A loopback address, e.g. 127.0.3.7. */
  address: string;
  /** 0 (default) picks a free port; read it back from `port`. */
  port?: number;
  model?: PrinterModelName | PrinterModel;
  readCommunity?: string;
  writeCommunity?: string;
  users?: SimUser[];
  /** Added before every reply, to make loopback behave like a LAN (benchmarks). */
  delayMs?: number;
  /** Community requests with more varbinds than this get tooBig (like small printer stacks). */
  maxVarbinds?: number;
  /** What the printer tells a discovery sweep (serial, model, MAC…); without it the agent serves settings only. */
  identity?: SimIdentity;
}

export interface SimAgent {
  readonly address: string;
  readonly port: number;
  readonly model: PrinterModel;
  /** Setting id → current value in policy terms (settings the model lacks are absent). */
  values(): Record<string, PolicyValue | string | null>;
  /** Change a value locally, as someone at the printer's panel would. */
  setValue(id: string, value: PolicyValue): void;
  /** Factory settings back (every protocol on, strings empty). */
  coldReset(): void;
  /** Requests received (all PDUs, including v3 discovery). */
  readonly requests: number;
  stop(): Promise<void>;
}

export const DEFAULT_USER: SimUser = {
  name: 'admin',
  authProtocol: 'sha',
  authKey: 'authpass123',
  privProtocol: 'aes',
  privKey: 'privpass123',
};

const PRT_GENERAL_ENTRY = '1.3.6.1.2.1.43.5.1.1';
const CONSOLE_TABLE = 'prtGeneralTable';

/**
 * prtGeneralTable, indexed by hrDeviceIndex; one row, index 1. The index column stands in for the foreign
 * hrDeviceIndex and is not-accessible, as in the Printer-MIB. Column 13 is prtConsoleDisable (a catalog
 * setting), column 17 prtGeneralSerialNumber (when the printer has an identity).
 */
function generalTable(console: SettingDef | undefined, model: PrinterModel, serial: boolean): ProviderDefinition {
  const rw = model.readOnly?.includes('control-panel-lock') ? snmp.MaxAccess['read-only'] : snmp.MaxAccess['read-write'];
  return {
    name: CONSOLE_TABLE,
    type: snmp.MibProviderType.Table,
    oid: PRT_GENERAL_ENTRY,
    maxAccess: snmp.MaxAccess['not-accessible'],
    tableColumns: [
      { number: 1, name: 'prtGeneralIndex', type: snmp.ObjectType.Integer, maxAccess: snmp.MaxAccess['not-accessible'] },
      ...(console ? [{ number: 13, name: 'prtConsoleDisable', type: snmp.ObjectType.Integer, maxAccess: rw, constraints: { enumeration: { '3': 'enabled', '4': 'disabled' } } }] : []),
      ...(serial ? [{ number: 17, name: 'prtGeneralSerialNumber', type: snmp.ObjectType.OctetString, maxAccess: snmp.MaxAccess['read-only'] }] : []),
    ],
    tableIndex: [{ columnName: 'prtGeneralIndex' }],
  };
}

function providerFor(def: SettingDef, model: PrinterModel): ProviderDefinition {
  const hostile = model.hostile?.[def.id];
  const rw = model.readOnly?.includes(def.id) ? snmp.MaxAccess['read-only'] : snmp.MaxAccess['read-write'];
  const base = { name: def.id, type: snmp.MibProviderType.Scalar, oid: def.oid.replace(/\.0$/, ''), maxAccess: rw };
  if (hostile) return { ...base, scalarType: snmp.ObjectType.OctetString };
  if (def.wireType === 'Integer') {
    return { ...base, scalarType: snmp.ObjectType.Integer, constraints: { enumeration: { '0': 'off', '1': 'on' } } };
  }
  return { ...base, scalarType: snmp.ObjectType.OctetString, constraints: { sizes: [{ min: 0, max: def.maxLength ?? 255 }] } };
}

export async function startSimAgent(opts: SimAgentOptions): Promise<SimAgent> {
  installKeyCache();
  const model: PrinterModel = typeof opts.model === 'object' ? opts.model : PRINTER_MODELS[opts.model ?? DEFAULT_MODEL];
  const engineId = Buffer.concat([Buffer.from('8000B98380', 'hex'), crypto.randomBytes(12)]);
  const state: SocketState = { port: opts.port ?? 0, delayMs: opts.delayMs ?? 0, maxVarbinds: opts.maxVarbinds, requests: 0, sockets: [] };
  let wrongDigests = 0;

  const onAgentEvent = (error: Error | null) => {
    if (!error) return;
    const code = (error as Error & { code?: unknown }).code;
    const cur = state.current;
    // Only a wrong digest is reported. Under a wrong priv key Net-SNMP's snmpd cannot parse the scoped
    // PDU and stays silent, and so do we (net-snmp's agent decrypts before it checks the digest, so a
    // wrong priv key shows up here as ECouldNotDecrypt).
    if (code !== snmp.ResponseInvalidCode.EAuthFailure || !cur) return;
    const head = parseV3Header(cur.buf);
    if (!head?.reportable) return;
    wrongDigests += 1;
    cur.socket.send(buildUsmReport(head.msgId, engineId, USM_WRONG_DIGESTS, wrongDigests), cur.rinfo.port, cur.rinfo.address);
  };

  const sockets = wrapSockets(state);
  const agent: Agent = snmp.createAgent(
    {
      address: opts.address,
      transport: isIPv6(opts.address) ? 'udp6' : 'udp4',
      port: 1, // placeholder: net-snmp replaces 0 with 161; our bind() uses state.port
      engineID: engineId.toString('hex'),
      accessControlModelType: snmp.AccessControlModelType.Simple,
      dgramModule: sockets,
    },
    onAgentEvent,
  );

  const auth = agent.getAuthorizer();
  const acm = auth.getAccessControlModel();
  const readCommunity = opts.readCommunity ?? 'public';
  const writeCommunity = opts.writeCommunity ?? 'private';
  auth.addCommunity(readCommunity);
  acm.setCommunityAccess(readCommunity, snmp.AccessLevel.ReadOnly);
  auth.addCommunity(writeCommunity);
  acm.setCommunityAccess(writeCommunity, snmp.AccessLevel.ReadWrite);
  for (const u of opts.users ?? [DEFAULT_USER]) {
    auth.addUser({
      name: u.name,
      level: snmp.SecurityLevel.authPriv,
      authProtocol: AUTH_PROTOCOLS[u.authProtocol],
      authKey: u.authKey,
      privProtocol: PRIV_PROTOCOLS[u.privProtocol],
      privKey: u.privKey,
    });
    acm.setUserAccess(u.name, snmp.AccessLevel.ReadWrite);
  }

  const mib: Mib = agent.getMib();
  mib.registerProvider({
    name: 'sysDescr',
    type: snmp.MibProviderType.Scalar,
    oid: '1.3.6.1.2.1.1.1',
    scalarType: snmp.ObjectType.OctetString,
    maxAccess: snmp.MaxAccess['read-only'],
  });
  mib.setScalarValue('sysDescr', model.description);
  const present = CATALOG.filter((d) => !model.lacks.includes(d.id));
  const console = present.find((d) => d.oid.startsWith(`${PRT_GENERAL_ENTRY}.`));
  for (const def of present) if (def !== console) mib.registerProvider(providerFor(def, model));
  const id = opts.identity;
  if (console || id) {
    mib.registerProvider(generalTable(console, model, Boolean(id)));
    mib.addTableRow(CONSOLE_TABLE, [1, ...(console ? [console.toWire(console.factoryDefault)] : []), ...(id ? [id.serialNumber] : [])]);
  }
  if (id) registerIdentity(mib, id);
  // A printer's sysName ships as its host name; the catalog's factory default is empty.
  const factory = (def: SettingDef) => (def.id === 'sys-name' && id?.hostname ? id.hostname : def.factoryDefault);

  const write = (def: SettingDef, value: PolicyValue | string) => {
    const hostile = model.hostile?.[def.id];
    if (def.oid.startsWith(`${PRT_GENERAL_ENTRY}.`)) {
      mib.setTableSingleCell(CONSOLE_TABLE, 13, [1], def.toWire(value));
    } else {
      mib.setScalarValue(def.id, hostile ? String(value) : def.toWire(value));
    }
  };
  const coldReset = () => {
    for (const def of present) {
      const hostile = model.hostile?.[def.id];
      write(def, hostile ? hostile.value : factory(def));
    }
  };
  coldReset();

  // Everything above is synchronous after createAgent, so the first request already sees the full MIB.
  const socket = state.sockets[0];
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('listening', () => resolve());
      socket.once('error', (e) => reject(e));
    });
  } catch (e) {
    try {
      socket.close();
    } catch {
      // never bound; nothing to close
    }
    throw e;
  }
  const port = socket.address().port;

  const read = (def: SettingDef): PolicyValue | string | null => {
    const raw = def.oid.startsWith(`${PRT_GENERAL_ENTRY}.`)
      ? mib.getTableSingleCell(CONSOLE_TABLE, 13, [1])
      : mib.getScalarValue(def.id);
    const wire = Buffer.isBuffer(raw) ? raw.toString('utf8') : (raw as number | string);
    if (model.hostile?.[def.id]) return typeof wire === 'string' ? wire : null;
    return def.fromWire(wire) ?? null;
  };

  return {
    address: opts.address,
    port,
    model,
    get requests() {
      return state.requests;
    },
    values() {
      return Object.fromEntries(present.map((d) => [d.id, read(d)]));
    },
    setValue(id, value) {
      const def = settingById(id);
      if (!def || !present.includes(def)) throw new Error(`model ${model.name} has no setting ${id}`);
      write(def, value);
    },
    coldReset,
    async stop() {
      await new Promise<void>((resolve) => {
        try {
          agent.close(() => resolve());
        } catch {
          resolve();
        }
      });
    },
  };
}

/** The i-th address of a simulated fleet: 127.<subnet>.<1 + i/250>.<1 + i%250> (up to 62,500 printers). */
export function simAddress(subnet: number, i: number): string {
  return `127.${subnet}.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
}

export interface SimFleetOptions extends Omit<SimAgentOptions, 'address' | 'model'> {
  /** Second octet of the fleet's addresses; pick distinct ones for fleets that run side by side. */
  subnet: number;
  /** Model of the i-th printer (default: every printer the default model). */
  model?: (i: number) => PrinterModelName | PrinterModel;
}

/** Starts `count` agents, 100 binds in flight at a time; stops them all if one fails. */
export async function startSimAgents(count: number, opts: SimFleetOptions): Promise<SimAgent[]> {
  const agents: SimAgent[] = [];
  try {
    for (let from = 0; from < count; from += 100) {
      const batch = Array.from({ length: Math.min(100, count - from) }, (_, k) => from + k);
      agents.push(
        ...(await Promise.all(
          batch.map((i) => startSimAgent({ ...opts, address: simAddress(opts.subnet, i), model: opts.model?.(i) })),
        )),
      );
    }
  } catch (e) {
    await Promise.all(agents.map((a) => a.stop()));
    throw e;
  }
  return agents;
}
