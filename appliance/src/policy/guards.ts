// Writes that can cut this appliance off from a printer. A policy naming one is refused, with the reason,
// unless the appliance would still be able to read and write the printer afterwards with a credential it
// has. Pure: the caller describes its credentials (never their secrets, only answers to questions).
import { settingById } from './catalog.ts';
import type { FieldError } from './policy.ts';

export interface CredentialFacts {
  version: '2c' | '3';
  /** v2c: reads with a factory community ("public"). */
  readsWithFactoryCommunity?: boolean;
  /** v2c: does this credential write with `community`? (compared in memory; the secret never leaves the caller). */
  writesWith?: (community: string) => boolean;
}

export interface ManagementFacts {
  /** The credentials the appliance may use for the printers this policy reaches. */
  credentials: readonly CredentialFacts[];
}

/** Community names printers ship with (the MIB's "default read names"). */
export const FACTORY_READ_COMMUNITIES = ['public'];

const COMMUNITY_WRITES = new Set(['v1v2-rw-v3-rw', 'v1v2-rw-no-v3']);
const V3_ON = new Set(['v1v2-rw-v3-rw', 'v1v2-ro-v3-rw', 'v3-only']);

function interfaceDown(id: string, value: unknown): boolean {
  if (id === 'network-connection-mode') return value !== 'automatic';
  return value === false;
}

/**
 * The refusals for `settings` (plain values; secrets in clear, only compared) given the appliance's
 * credentials. Empty when nothing in the policy can lock the appliance out.
 */
export function guardRefusals(settings: Readonly<Record<string, unknown>>, facts: ManagementFacts): FieldError[] {
  const out: FieldError[] = [];
  const field = (id: string) => `settings.${id}`;
  for (const [id, value] of Object.entries(settings)) {
    const g = settingById(id)?.guard;
    if (g === 'snmp-agent' && value === false) {
      out.push({ field: field(id), message: 'refused: turning the SNMP agent off cannot be undone over SNMP, so this appliance could never manage these printers again (turn it off at the printer if you must)' });
    }
    if (g === 'interface' && interfaceDown(id, value)) {
      out.push({ field: field(id), message: 'refused: this turns a network interface off, and the appliance cannot tell which interface it reaches each printer through; if it is that one, only the printer\'s panel can bring it back. Change it at the printer' });
    }
  }

  const access = typeof settings['snmp-version-access'] === 'string' ? String(settings['snmp-version-access']) : undefined;
  const factoryReadOff = settings['snmp-default-read-community'] === false;
  const writeCommunity = typeof settings['snmp-set-community'] === 'string' ? String(settings['snmp-set-community']) : undefined;
  const narrowed = (access !== undefined && access !== 'v1v2-rw-v3-rw') || factoryReadOff || writeCommunity !== undefined;
  if (!narrowed) return out;

  const communityWrite = access === undefined || COMMUNITY_WRITES.has(access);
  const communityRead = access !== 'v3-only';
  const v3 = access === undefined || V3_ON.has(access);
  const keeps = (c: CredentialFacts) => c.version === '3'
    ? v3
    : communityRead && communityWrite && !(factoryReadOff && c.readsWithFactoryCommunity) && (writeCommunity === undefined || Boolean(c.writesWith?.(writeCommunity)));
  if (facts.credentials.some(keeps)) return out;

  const v2c = facts.credentials.filter((c) => c.version === '2c');
  const v3creds = facts.credentials.filter((c) => c.version === '3');
  const none = facts.credentials.length === 0;
  const tail = none ? 'this appliance has no SNMP credential yet: add the one these printers will keep answering first'
    : 'no credential of this appliance would still be able to read and write these printers afterwards';
  if (access !== undefined && access !== 'v1v2-rw-v3-rw') {
    const why = !v3 && v2c.length === 0 ? `"${access}" turns SNMPv3 off, and this appliance talks SNMPv3 only`
      : !communityWrite && v3creds.length === 0 ? `"${access}" ends v1/v2c writes, and this appliance has only v2c credentials (add an SNMPv3 credential that works on these printers first)`
        : `"${access}" narrows SNMP access`;
    out.push({ field: field('snmp-version-access'), message: `refused: ${why}; ${tail}` });
  }
  if (factoryReadOff) {
    out.push({ field: field('snmp-default-read-community'), message: `refused: the printers would refuse the factory read community "public"${v2c.some((c) => c.readsWithFactoryCommunity) ? ', which this appliance reads with' : ''}; ${tail}` });
  }
  if (writeCommunity !== undefined) {
    out.push({ field: field('snmp-set-community'), message: `refused: the new write community is not the write community of any v2c credential of this appliance, and no SNMPv3 credential would take over; ${tail}` });
  }
  return out;
}
