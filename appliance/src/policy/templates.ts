// Built-in policy templates: starting points in the policy editor, never stored or applied as they are.
// Secrets cannot be part of a template; `prompts` names the ones the admin is asked to type.
import type { PolicyValue } from './catalog.ts';

export interface PolicyTemplate {
  id: string;
  name: string;
  description: string;
  settings: Record<string, PolicyValue>;
  /** Secret settings the template wants, which the admin must fill in. */
  prompts: string[];
}

export const TEMPLATES: readonly PolicyTemplate[] = Object.freeze([{
  id: 'branch-baseline',
  name: 'Branch baseline',
  description: 'Cleartext and cloud services off, encrypted web access with TLS 1.2 and strong ciphers, PJL lock-down, logging on, ' +
    'and the announcement agent pointed at this appliance so printers stay enrolled without a DNS record. Printing over port 9100, IPP, ' +
    'WS and Bonjour stays as it is; add an admin password.',
  settings: {
    telnet: false, ftp: 'off', slp: false, lpd: false, llmnr: false, wpad: 'off', 'google-cloud-print': 'off',
    'eprint-opt-in': false, 'eprint-email': false, 'wifi-direct': false, 'wireless-direct-print': false, airfax: false, jetsend: false,
    'ip-forwarding': false, 'https-redirect': true, 'ews-info-tab-protect': true, 'tls-versions': 'tls1.2', 'tls-cipher-strength': 'high',
    'tls-legacy-renegotiation': false, 'snmpv3-auth-algorithm': 'sha1', 'snmpv3-priv-algorithm': 'aes128', 'pjl-device-access': false,
    'startup-page': 'off', syslog: true, 'snmp-auth-traps': true, 'hpdap-announce': true, 'hpdap-server': 'this-appliance',
  },
  prompts: ['admin-password'],
}]);
