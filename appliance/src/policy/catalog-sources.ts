// The public MIB files each catalog row comes from, and which of them are one printer model's own MIB (a
// vendor's statement that the model supports the object). Gathered in docs/reference: printer-snmp-settings.md.

export interface MibSource {
  title: string;
  /** Set for a model-specific MIB: the model it describes. */
  model?: string;
}

export const SOURCES: Readonly<Record<string, MibSource>> = {
  JD3: { title: 'JETDIRECT3-MIB (JetDirect master MIB)' },
  LJC: { title: 'HP-LASERJET-COMMON-MIB' },
  FS: { title: 'FUTURESMART-MIB (FutureSmart v1.3)' },
  PRT: { title: 'Printer-MIB v2 (RFC 3805)' },
  MIB2: { title: 'MIB-II / SNMPv2-MIB (RFC 1213, RFC 3418)' },
  OJ: { title: 'HP-OFFICEJET-PRO-X576DW-MIB', model: 'OfficeJet Pro X576dw' },
  PW: { title: 'HP-PAGEWIDE-PRO-477DW-MFP-MIB', model: 'PageWide Pro 477dw MFP' },
  LJ2025: { title: 'LJ2025-MIB', model: 'LaserJet 2025' },
  LJ251: { title: 'LJ251-MIB', model: 'LaserJet 251' },
  LJ252: { title: 'LJ252-MIB', model: 'LaserJet 252' },
  LJ276: { title: 'LJ276-MIB', model: 'LaserJet 276' },
  LJ277: { title: 'LJ277-MIB', model: 'LaserJet 277' },
  LJ401: { title: 'LJ401-MIB', model: 'LaserJet 401' },
  LJ402: { title: 'LJ402-MIB', model: 'LaserJet 402' },
  LJ426: { title: 'LJ426-MIB', model: 'LaserJet 426' },
  LJ452: { title: 'LJ452-MIB', model: 'LaserJet 452' },
  LJ477: { title: 'LJ477-MIB', model: 'LaserJet 477' },
  LJ501: { title: 'LJ501-MIB', model: 'LaserJet 501' },
  LJ701: { title: 'LJ701-MIB', model: 'LaserJet 701' },
  LJ3015: { title: 'LJ3015-MIB', model: 'LaserJet 3015' },
  LJ3035: { title: 'LJ3035-MIB', model: 'LaserJet 3035' },
  LJ4525: { title: 'LJ4525-MIB', model: 'LaserJet 4525' },
  LJ4650: { title: 'LJ4650-MIB', model: 'LaserJet 4650' },
  LJ5035: { title: 'LJ5035-MIB', model: 'LaserJet 5035' },
  LJ4100MFP: { title: 'LJ4100mfp-MIB', model: 'LaserJet 4100 MFP' },
  LJ9000MFP: { title: 'LJ9000mfp-MIB', model: 'LaserJet 9000 MFP' },
  IJ8060: { title: 'IJ8060-MIB', model: 'Inkjet 8060' },
};

/** The models whose own MIB lists the object (from a row's sources). */
export function modelsOf(sources: readonly string[]): string[] {
  return sources.map((k) => SOURCES[k]?.model).filter((m): m is string => Boolean(m));
}
