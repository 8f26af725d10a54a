// A simulated printer: its own serial, MAC and loopback address, and a DAA that announces on the triggers of
// HDAP.md §6 — when its SNMP agent says the DAA is on — to the server address configured in it, else to what
// DNS finds for hp-print-mgmt. Its DAA status follows the last exchange (Disabled, In Progress, Success, Failed) like the
// printer's own status page. Later issues give it an SNMP agent and certificates.
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Logger } from '../util/log.ts';
import type { Acknowledge, AnnounceReason, Announcement } from '../protocol/index.ts';
import { announce, newAnnouncement, DaaError, type DaaTarget } from './daa-client.ts';
import { startSimAgent, type SimAgent, type SimAgentOptions } from './snmp-agent.ts';

export type DaaStatus = 'Disabled' | 'In Progress' | 'Success' | 'Failed';

const DAA_OBJECTS = new Set(['npCtlHpDAPAgentAnnounceState', 'npCtlHpDAPAgentManualServerAddr', 'npCtlHpDAPAgentRequireTrustedAuth']);

export const SIM_MODELS = ['HP Color LaserJet Enterprise MFP M480f', 'HP LaserJet Enterprise M611dn', 'HP LaserJet Pro 4002dn',
  'HP Color LaserJet Pro MFP 4302fdw', 'HP PageWide Enterprise Color 765dn'];

/** 127.0.x.y for printer i (x, y in 1..254), so every printer has its own source address on loopback. */
export function simAddress(i: number): string {
  return `127.0.${1 + Math.floor(i / 254) % 254}.${1 + (i % 254)}`;
}

/** Device authentication modes of HDAP.md §2. */
export type DeviceAuthMode = 'none' | 'mutual-preferred' | 'mutual-required';

export interface SimPrinterOptions {
  index: number;
  authMode?: DeviceAuthMode;
  serialPrefix?: string;
  /** Its own loopback address (default: simAddress(index), 127.0.x.y). */
  address?: string;
  /** Where the DAA sends announcements when no server address is configured in it (what DNS resolution finds). */
  resolveTarget: () => Promise<Omit<DaaTarget, 'localAddress'>>;
  /** The port announced to at a configured server address (3329; tests use the appliance's free port). */
  announcePort?: number;
  log?: Logger;
}

export class SimPrinter {
  readonly serialNumber: string;
  macAddress: string;
  readonly model: string;
  address: string;
  hostname: string;
  firmware = '2505252_000112';
  status: DaaStatus = 'Disabled';
  lastAck?: Acknowledge;
  lastError?: string;
  announcements = 0;
  /** The printer's SNMP agent, when started (a real agent on its own loopback address). */
  agent?: SimAgent;
  authMode: DeviceAuthMode;
  /** Identity certificate and key, and the CA that must have signed the server: they survive a cold reset. */
  identity?: { keyPem: string; certPem: string };
  caPem?: string;
  /** mutual-required: the server's certificate did not validate; no contact until the next trigger. */
  blocked = false;
  private periodic?: NodeJS.Timeout;
  private reconfigured?: NodeJS.Timeout;

  constructor(private readonly opts: SimPrinterOptions) {
    const i = opts.index;
    this.serialNumber = `${opts.serialPrefix ?? 'SIM'}${String(i).padStart(6, '0')}`;
    this.macAddress = `02:00:${[(i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    this.model = SIM_MODELS[i % SIM_MODELS.length];
    this.address = opts.address ?? simAddress(i);
    this.hostname = `NPI${this.serialNumber.slice(-6)}`;
    this.authMode = opts.authMode ?? 'none';
  }

  deviceInfo(): Announcement['device'] {
    return { serialNumber: this.serialNumber, macAddress: this.macAddress, model: this.model, ipv4: this.address,
      hostname: this.hostname, firmware: this.firmware, authMode: this.authMode, snmpPort: this.agent?.port ?? 161 };
  }

  /** Starts the printer's SNMP agent on its own address (port 161 needs root; pass another port otherwise). */
  async startAgent(opts: Omit<SimAgentOptions, 'address'> = {}): Promise<SimAgent> {
    // The agent tells a discovery sweep what the DAA would announce.
    const identity = { serialNumber: this.serialNumber, model: this.model, hostname: this.hostname, macAddress: this.macAddress, firmware: this.firmware };
    this.agent = await startSimAgent({ identity, ...opts, address: this.address });
    // The announcement agent is configured over SNMP like any other setting (npCtlHpDAPAgent*, npCfgHpDAPAgentManualServerAddr):
    // switched on, or given a server address while on, it announces right away, as a real one would.
    this.agent.onChange((name) => {
      if (!DAA_OBJECTS.has(name)) return;
      clearTimeout(this.reconfigured);
      // One SET often carries several of them: announce once, after the whole PDU.
      this.reconfigured = setTimeout(() => { if (this.daa().enabled) void this.announce('manual'); }, 20);
    });
    return this.agent;
  }

  /** The DAA's configuration as its SNMP agent holds it (a printer without those objects: always on, DNS only). */
  daa(): { enabled: boolean; server?: string; trustedAuth: boolean } {
    const a = this.agent;
    const state = a?.wire('npCtlHpDAPAgentAnnounceState');
    const addr = a?.wire('npCtlHpDAPAgentManualServerAddr');
    const bytes = addr instanceof Uint8Array ? [...addr] : [];
    const server = bytes.length === 4 && bytes.some((b) => b !== 0) ? bytes.join('.') : undefined;
    return { enabled: state === undefined || state === 1, server, trustedAuth: a?.wire('npCtlHpDAPAgentRequireTrustedAuth') === 1 };
  }

  /** One DAA exchange; never throws: the outcome is the DAA status, as on a real device. */
  async announce(reason: AnnounceReason): Promise<DaaStatus> {
    const daa = this.daa();
    if (!daa.enabled) {
      this.status = 'Disabled';
      return this.status;
    }
    if (reason !== 'periodic') this.blocked = false; // any real trigger ends a mutual-required block
    if (this.blocked) return this.status;
    this.announcements++;
    const authMode: DeviceAuthMode = daa.trustedAuth ? 'mutual-required' : this.authMode;
    if (authMode === 'mutual-required' && (!this.identity || !this.caPem)) {
      // HDAP.md §2: without an identity certificate and a CA certificate the device sends nothing.
      this.lastError = 'mutual-required: no identity certificate or CA certificate installed';
      this.status = 'Failed';
      return this.status;
    }
    this.status = 'In Progress';
    try {
      // A configured server address wins; without one the DAA looks up hp-print-mgmt (the white paper's workflow).
      const target = daa.server ? { host: daa.server, port: this.opts.announcePort ?? 3329 } : await this.opts.resolveTarget();
      const tlsOpts = authMode === 'none' ? {} : {
        key: this.identity?.keyPem, cert: this.identity?.certPem,
        // Only mutual-required validates the server; mutual-preferred carries on whatever it presents.
        ca: authMode === 'mutual-required' ? this.caPem : undefined,
      };
      this.lastAck = await announce({ ...target, ...tlsOpts, localAddress: isIP(target.host) === 6 ? undefined : this.address }, newAnnouncement(this.deviceInfo(), reason));
      this.lastError = this.lastAck.status === 'accepted' ? undefined : `rejected: ${this.lastAck.reason}`;
      this.status = this.lastAck.status === 'accepted' ? 'Success' : 'Failed';
    } catch (err) {
      this.lastError = err instanceof DaaError ? `${err.code}: ${err.message}` : String(err);
      if (err instanceof DaaError && err.code === 'server-untrusted') this.blocked = true;
      this.status = 'Failed';
    }
    this.opts.log?.debug({ serial: this.serialNumber, reason, status: this.status, error: this.lastError }, 'DAA exchange');
    return this.status;
  }

  // The triggers of HDAP.md §6.
  boot() { return this.announce('initial-boot'); }
  powerCycle() { return this.announce('power-cycle'); }
  linkUp() { return this.announce('link-up'); }
  changeIp(address: string) { this.address = address; return this.announce('ip-change'); }
  changeHostname(name: string) { this.hostname = name; return this.announce('hostname-change'); }
  /** Factory settings back (the SNMP agent forgets every change), then the DAA announces cold-reset. */
  coldReset() { this.agent?.coldReset(); return this.announce('cold-reset'); }
  /** A new formatter board: the technician reloads the serial number, the MAC is the new board's. */
  replaceFormatter() { this.macAddress = `02:ff:${randomBytes(4).toString('hex').match(/../g)!.join(':')}`; return this.announce('initial-boot'); }

  startPeriodic(intervalMs = 47 * 3600_000) {
    this.stopPeriodic();
    this.periodic = setInterval(() => void this.announce('periodic'), intervalMs);
    this.periodic.unref();
  }
  stopPeriodic() { clearInterval(this.periodic); }

  async stop() { this.stopPeriodic(); clearTimeout(this.reconfigured); await this.agent?.stop(); }
}
