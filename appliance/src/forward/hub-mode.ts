// Hub mode (issue 8): a central appliance that only receives relays from branch appliances. It keeps the
// registry and the page but answers no DNS (printers must not find it as hp-print-mgmt) and never
// remediates; this stands in for the DNS responder so the rest of the appliance need not know.
import type { DnsResponder } from '../dns/responder.ts';

export function noDnsResponder(): DnsResponder {
  return {
    udpPort: 0, tcpPort: 0, host: '', names: [], addresses: { ipv4: [], ipv6: [] },
    stats: () => ({ hubMode: true, note: 'hub mode: no DNS responder' }) as unknown as ReturnType<DnsResponder['stats']>,
    stop: async () => undefined,
  };
}
