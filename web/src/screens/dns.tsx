// DNS self-check: do printers find hp-print-mgmt, and the records to paste if not — for BIND (a zone of its
// own for the bare name, records for each search suffix), dnsmasq, Windows DNS and the DHCP options. Every
// snippet is valid as given, with or without search suffixes (test/system/dns-snippets.test.ts).
import type { Answer } from '../api.ts';
import { Badge, Card, Copy, ErrorText, Loaded, Page, useRoute } from '../ui.tsx';

type Check = Answer<'GET /api/v1/dns/check'>;
type Family = Check['entries'][number]['system']['a'];

function Records(p: { title: string; lines?: string[]; note?: string }) {
  if (!p.lines?.length) return null;
  const text = p.lines.join('\n');
  return <div class="records"><h3>{p.title} <Copy text={text} label={p.title} /></h3>{p.note && <p class="muted">{p.note}</p>}<pre tabIndex={0}>{text}</pre></div>;
}

const fam = (f?: Family) => (f ? `${f.status}${f.addresses.length ? `: ${f.addresses.join(', ')}` : ''}` : '—');

export function Dns() {
  const q = useRoute('GET /api/v1/dns/check');
  return (
    <Page title="DNS" actions={<button type="button" onClick={() => void q.reload()} disabled={q.loading}>{q.loading ? 'Checking…' : 'Check again'}</button>}>
      <ErrorText error={q.data ? q.error : undefined} />
      <Loaded q={q} what="the DNS self-check">{(r) => (
        <>
          <div class={`notice ${r.printersWillFindAppliance ? 'ok' : 'warn'}`} data-testid="dns-verdict"><Badge status={r.printersWillFindAppliance ? 'ok' : 'failed'} label={r.printersWillFindAppliance ? 'found' : 'not found'} /> {r.summary}</div>
          <Card title="Lookups">
            <p class="muted">Resolvers: {r.systemResolvers.join(', ') || '—'}{r.responder ? ` · this appliance's responder ${r.responder}` : ''}</p>
            <div class="table-wrap"><table>
              <thead><tr><th scope="col">Name</th><th scope="col">Network DNS (A / AAAA)</th><th scope="col">Points here</th><th scope="col" class="wide">Appliance DNS</th></tr></thead>
              <tbody>{r.entries.map((e) => (
                <tr key={e.name}><td class="mono">{e.name}</td><td>{fam(e.system.a)} / {fam(e.system.aaaa)}{e.system.foreignAddresses.length ? <div class="field-error">foreign: {e.system.foreignAddresses.join(', ')}</div> : null}</td>
                  <td><Badge status={e.system.pointsAtAppliance ? 'ok' : 'failed'} label={e.system.pointsAtAppliance ? 'yes' : 'no'} /></td><td class="wide">{e.appliance ? `${fam(e.appliance.a)} / ${fam(e.appliance.aaaa)}` : '—'}</td></tr>))}</tbody>
            </table></div>
          </Card>
          <Card title="Records to paste into your DNS" testid="dns-records">
            {r.records.bindZones.map((z) => <Records key={z.zone} title={z.kind === 'zone' ? `BIND: a zone of its own, ${z.zone}` : `BIND: add to the zone ${z.zone}`}
              note={z.kind === 'zone' ? `No existing zone can hold the bare name: load this file as its own zone (named.conf: ${z.namedConf}).` : undefined} lines={z.lines} />)}
            <Records title="dnsmasq" lines={r.records.dnsmasq} />
            <Records title="Windows DNS (PowerShell)" lines={r.records.windows} />
          </Card>
          <Card title="DHCP">
            <p class="muted">{r.records.dhcpOption119.note}</p>
            <Records title="Option 119 — dnsmasq" lines={[r.records.dhcpOption119.dnsmasq]} />
            <Records title="Option 119 — ISC dhcpd" lines={[r.records.dhcpOption119.iscDhcpd]} />
            <Records title="Option 119 — Windows DHCP" lines={r.records.dhcpOption119.windows} />
            <p class="muted">{r.records.dhcpDnsServer.note}</p>
            <Records title="Option 6 — dnsmasq" lines={[r.records.dhcpDnsServer.dnsmasq]} />
            <Records title="Option 6 — ISC dhcpd" lines={[r.records.dhcpDnsServer.iscDhcpd]} />
            <Records title="Option 6 — Windows DHCP" lines={r.records.dhcpDnsServer.windows} />
          </Card>
        </>
      )}</Loaded>
    </Page>
  );
}
