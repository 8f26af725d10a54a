// DNS self-check: do printers find hp-print-mgmt, and the records to paste if not.
import { Badge, Card, Copy, Loaded, Page, useApi } from '../ui.tsx';

function Records(p: { title: string; lines?: string[] }) {
  if (!p.lines?.length) return null;
  const text = p.lines.join('\n');
  return <div class="records"><h3>{p.title} <Copy text={text} /></h3><pre>{text}</pre></div>;
}

const fam = (f: any) => (f ? `${f.status}${f.addresses?.length ? `: ${f.addresses.join(', ')}` : ''}` : '—');

export function Dns() {
  const q = useApi<any>('/api/v1/dns/check');
  return (
    <Page title="DNS" actions={<button type="button" onClick={() => void q.reload()} disabled={q.loading}>{q.loading ? 'Checking…' : 'Check again'}</button>}>
      <Loaded q={q} what="the DNS self-check">{(r) => (
        <>
          <div class={`notice ${r.printersWillFindAppliance ? 'ok' : 'warn'}`}><Badge status={r.printersWillFindAppliance ? 'ok' : 'failed'} /> {r.summary}</div>
          <Card title="Lookups">
            <p class="muted">Resolvers: {(r.systemResolvers ?? []).join(', ') || '—'}{r.responder ? ` · this appliance's responder ${r.responder}` : ''}</p>
            <div class="table-wrap"><table>
              <thead><tr><th>Name</th><th>Network DNS (A / AAAA)</th><th>Points here</th><th class="wide">Appliance DNS</th></tr></thead>
              <tbody>{(r.entries ?? []).map((e: any) => (
                <tr key={e.name}><td class="mono">{e.name}</td><td>{fam(e.system?.a)} / {fam(e.system?.aaaa)}{e.system?.foreignAddresses?.length ? <div class="field-error">foreign: {e.system.foreignAddresses.join(', ')}</div> : null}</td>
                  <td><Badge status={e.system?.pointsAtAppliance ? 'ok' : 'failed'} /></td><td class="wide">{e.appliance ? `${fam(e.appliance.a)} / ${fam(e.appliance.aaaa)}` : '—'}</td></tr>))}</tbody>
            </table></div>
          </Card>
          <Card title="Records to paste into your DNS">
            <Records title="BIND zone" lines={r.records?.bind} />
            <Records title="dnsmasq" lines={r.records?.dnsmasq} />
            <Records title="Windows DNS (PowerShell)" lines={r.records?.windows} />
            {r.records?.dhcpOption119 && <div class="records"><h3>DHCP option 119 (domain search)</h3><p class="muted">{r.records.dhcpOption119.note}</p>
              <Records title="dnsmasq" lines={[r.records.dhcpOption119.dnsmasq]} /><Records title="ISC dhcpd" lines={[r.records.dhcpOption119.iscDhcpd]} /><Records title="Windows DHCP" lines={r.records.dhcpOption119.windows} /></div>}
          </Card>
        </>
      )}</Loaded>
    </Page>
  );
}
