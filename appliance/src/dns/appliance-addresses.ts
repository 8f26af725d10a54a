// Which addresses `hp-print-mgmt` should resolve to when the operator has not said: the addresses printers
// can actually reach — every non-loopback interface address, or just --host when it names one address.
import { isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { ApplianceAddresses } from './local-zone.ts';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0']);

export function defaultApplianceAddresses(host?: string, interfaces = networkInterfaces()): ApplianceAddresses {
  if (host && !WILDCARDS.has(host)) {
    if (isIPv4(host)) return { ipv4: [host], ipv6: [] };
    if (isIPv6(host)) return { ipv4: [], ipv6: [host] };
  }
  const out: ApplianceAddresses = { ipv4: [], ipv6: [] };
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv4') out.ipv4.push(info.address);
      // Link-local addresses need a zone index that DNS cannot carry; printers could not use them.
      else if (info.family === 'IPv6' && !/^fe[89ab]/i.test(info.address)) out.ipv6.push(info.address);
    }
  }
  out.ipv4 = [...new Set(out.ipv4)];
  out.ipv6 = [...new Set(out.ipv6)];
  return out;
}
