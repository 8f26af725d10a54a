// Hub mode (issue 8): a central appliance that only receives relays from branch appliances. It keeps the
// registry and the page but answers no DNS (printers must not find it as hp-print-mgmt), never remediates,
// and tells printers that announce to it directly that discovery is disabled here. These rules live here so
// the rest of the appliance need not know about hubs.
import type { DnsResponder } from '../dns/index.ts';
import type { Announcement } from '../protocol/index.ts';
import type { PeerContext, Verdict } from '../announce/index.ts';

export function noDnsResponder(): DnsResponder {
  return {
    udpPort: 0, tcpPort: 0, host: '', names: [], addresses: { ipv4: [], ipv6: [] },
    stats: () => ({ hubMode: true, note: 'hub mode: no DNS responder' }) as unknown as ReturnType<DnsResponder['stats']>,
    stop: async () => undefined,
  };
}

type Authorize = (ann: Announcement, peer: PeerContext) => Verdict;

/** A hub accepts only relays (forwardedBy set, from relayPeers — checked by the intake); the rest as usual. */
export function hubAuthorize(hub: boolean, authorize: Authorize): Authorize {
  if (!hub) return authorize;
  return (ann, peer) => ann.forwardedBy?.length
    ? authorize(ann, peer)
    : { ok: false, reason: 'discovery-disabled', authMethod: 'anonymous', detail: 'hub mode: only relays from primary listeners are accepted' };
}
