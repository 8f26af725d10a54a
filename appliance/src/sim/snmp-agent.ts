// A real SNMP agent (net-snmp createAgent) per simulated printer, on its own loopback address, serving
// the printer's own objects (hp-objects.ts, native-mib.ts) with factory values. Three things net-snmp's agent cannot do on its own are
// added through the `dgramModule` hook it accepts (we hand it sockets we wrapped):
//  - bind to port 0 (it turns 0 into 161): our bind() substitutes the requested port;
//  - delay replies (benchmarks): our send() waits `delayMs` before sending;
//  - answer a bad v3 digest with a usmStatsWrongDigests Report like snmpd: our "message" listener knows
//    which datagram is being processed when the agent reports the failure, and answers it.
import crypto from 'node:crypto';
import { isIPv6 } from 'node:net';
import snmp, { type Agent, type Mib } from 'net-snmp';
import { AUTH_PROTOCOLS, PRIV_PROTOCOLS } from '../snmp/index.ts';
import { CATALOG, settingById, type PolicyValue, type SettingDef } from '../policy/index.ts';
import { HP_OBJECT_BY_NAME } from './hp-objects.ts';
import { NativeMib, servedObjects } from './native-mib.ts';
// Not network code: the same net-snmp key-localization cache the adapter uses. Every simulated printer
// has its own engineID, so without it a fleet on SNMPv3 costs ~4 ms of hashing per printer.
import { installKeyCache } from '../snmp/index.ts';
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
  /** Catalog setting id → current value in policy terms (settings the model lacks are absent; secrets: 'set' / 'not-set'). */
  values(): Record<string, PolicyValue | string | null>;
  /** Change a value locally, as someone at the printer's panel would (policy terms). */
  setValue(id: string, value: PolicyValue): void;
  /** The native value of an object (MIB name or catalog id), as the agent serves it. */
  wire(nameOrId: string): number | string | Uint8Array | undefined;
  /** Store a native value locally, bypassing every check (e.g. a firmware with a value the MIB does not name). */
  setWire(nameOrId: string, value: number | string | Uint8Array): void;
  /** What a password object holds (the agent never serves it): for tests of what the manager wrote. */
  secret(nameOrId: string): string | undefined;
  /** Called after every committed SET, with the MIB object name and the value. */
  onChange(fn: (name: string, value: number | string | Uint8Array) => void): () => void;
  /** Factory settings back (every protocol on, strings empty, no passwords, factory communities). */
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

/** A catalog id or a MIB object name → the object's instance OID. */
const oidOf = (x: string) => settingById(x)?.oid ?? HP_OBJECT_BY_NAME.get(x)?.oid;

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
  const factoryRead = opts.readCommunity ?? 'public';
  const factoryWrite = opts.writeCommunity ?? 'private';
  let communities: string[] = [];
  const setCommunities = (read: string[], write: string) => {
    for (const c of communities) { auth.deleteCommunity(c); acm.removeCommunityAccess(c); }
    communities = [...new Set([...read, write])];
    for (const c of read) { auth.addCommunity(c); acm.setCommunityAccess(c, snmp.AccessLevel.ReadOnly); }
    auth.addCommunity(write);
    acm.setCommunityAccess(write, snmp.AccessLevel.ReadWrite);
  };
  let reads = [factoryRead];
  let writeCommunity = factoryWrite;
  setCommunities(reads, writeCommunity);
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
  const listeners = new Set<(name: string, value: number | string | Uint8Array) => void>();
  const id = opts.identity;
  const native = new NativeMib(mib, servedObjects(model, oidOf), {
    onCommit: (o, value) => { for (const fn of listeners) fn(o.name, value); },
    // The community MIB: a new write community replaces the factory ones for writes; a read community is added.
    communityChanged: (kind, community) => {
      if (kind === 'write') writeCommunity = community;
      else reads = [...new Set([...reads, community])];
      setCommunities(reads.filter((c) => c !== writeCommunity), writeCommunity);
    },
    snmpOff: () => { state.silent = true; },
  }, id?.serialNumber);
  if (id) registerIdentity(mib, id);
  const byOid = new Map(native.served.map((s) => [s.o.oid, s.o.name]));
  // A catalog id first (the catalog's "control-panel-lock" is prtConsoleDisable, not the PML object of that name).
  const nameOf = (x: string) => { const def = settingById(x); return def ? byOid.get(def.oid) : native.has(x) ? x : undefined; };
  const coldReset = () => {
    native.factoryReset();
    // A printer's sysName ships as its host name.
    if (id?.hostname && native.has('sysName')) native.write('sysName', id.hostname);
    reads = [factoryRead];
    writeCommunity = factoryWrite;
    setCommunities(reads, writeCommunity);
    state.silent = false;
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
    const name = nameOf(def.id)!;
    const raw = native.read(name);
    if (model.hostile?.[def.id]) return typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : null;
    const bytes = raw instanceof Uint8Array ? raw : undefined;
    const wire = bytes ? Buffer.from(bytes).toString('utf8') : (raw as number | string);
    return def.fromWire(wire, bytes) ?? null;
  };
  const present = CATALOG.filter((d) => nameOf(d.id));

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
    setValue(settingId, value) {
      const def = settingById(settingId);
      const name = def && nameOf(def.id);
      if (!def || !name) throw new Error(`model ${model.name} has no setting ${settingId}`);
      native.write(name, model.hostile?.[def.id] ? String(value) : def.toWire(value));
    },
    wire: (x) => { const name = nameOf(x); return name ? native.read(name) : undefined; },
    setWire(x, value) {
      const name = nameOf(x);
      if (!name) throw new Error(`model ${model.name} has no object ${x}`);
      native.writeRaw(name, value);
    },
    secret: (x) => { const name = nameOf(x); return name ? native.secret(name) : undefined; },
    onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); },
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
