// Simulated printer models: which objects each one has, and (for tests of the adapter's defences) models
// that answer with the wrong type or absurdly long values. What a model lacks follows its MIB where one is
// public (the PageWide 477dw MIB lists no PML objects, no prtConsoleDisable and no password verify object).
import type { NativeFamily } from './hp-objects.ts';

export interface HostileAnswer {
  /** Served as an OCTET STRING whatever the catalog says (wrong type for the switches). */
  type: 'OctetString';
  value: string;
}

export interface PrinterModel {
  name: string;
  /** sysDescr, as a real printer would report it. */
  description: string;
  /** Objects this model does not implement, by catalog setting id or MIB object name (the agent answers noSuchObject). */
  lacks: readonly string[];
  /** Whole MIB families this model does not implement (an OfficeJet has no LaserJet PML objects). */
  lacksFamilies?: readonly NativeFamily[];
  /** Catalog setting ids served with a hostile answer instead of the real object (read-write). */
  hostile?: Readonly<Record<string, HostileAnswer>>;
  /** Catalog setting ids this model serves read-only (a SET gets notWritable). */
  readOnly?: readonly string[];
}

export const PRINTER_MODELS = {
  'laserjet-m507': {
    name: 'laserjet-m507',
    description: 'HP LaserJet Enterprise M507 (simulated), JetDirect embedded',
    lacks: [],
  },
  'laserjet-p3015': {
    name: 'laserjet-p3015',
    // An older model: no Web Services printing.
    description: 'HP LaserJet P3015 (simulated), JetDirect embedded',
    lacks: ['ws-print'],
  },
  'officejet-8000': {
    name: 'officejet-8000',
    description: 'HP Officejet Pro 8000 (simulated), no control panel lock, no WS, no LaserJet device objects',
    lacks: ['ws-print', 'ws-discovery', 'llmnr', 'control-panel-lock'],
    lacksFamilies: ['hp-device'],
  },
  'pagewide-477': {
    name: 'pagewide-477',
    description: 'HP PageWide Pro 477dw MFP (simulated from its public model MIB)',
    lacks: ['control-panel-lock', 'startup-page', 'npCfgPasswd1Verify'],
    lacksFamilies: ['hp-device'],
  },
  'laserjet-m404': {
    name: 'laserjet-m404',
    // Panel lock is managed by its own EWS setting on this model; SNMP may only read it.
    description: 'HP LaserJet Pro M404 (simulated), control panel lock read-only over SNMP',
    lacks: [],
    readOnly: ['control-panel-lock'],
  },
  hostile: {
    name: 'hostile',
    description: 'A device that answers with the wrong types and a 60 KB string (simulated)',
    lacks: [],
    hostile: {
      telnet: { type: 'OctetString', value: 'yes' },
      'sys-location': { type: 'OctetString', value: 'x'.repeat(60_000) },
    },
  },
} as const satisfies Record<string, PrinterModel>;

export type PrinterModelName = keyof typeof PRINTER_MODELS;

export const DEFAULT_MODEL: PrinterModelName = 'laserjet-m507';
