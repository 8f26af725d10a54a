// The first run as a guided path (issue 17 §4): a short checklist whose steps tick themselves as the
// appliance sees each one work — the password changed, a policy, automatic remediation on, printers finding
// hp-print-mgmt, an announcement through the firewall on the real port, a first device assessed. And, before
// sign-in, where the first-start password file is (only while it exists: the page's sign-in help names it).
import type Router from '@koa/router';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppServices } from '../services.ts';

/** The DNS self-check asks real resolvers (seconds when they time out): its verdict is reused this long. */
const DNS_CHECK_MS = 60_000;

export function initialPasswordPath(s: AppServices): string {
  return join(resolve(String(s.settings.get('dataDir'))), 'initial-admin-password');
}

export function setupRoutes(router: Router, s: AppServices) {
  let dns: { at: number; ok: boolean; summary: string } | undefined;
  let checking: Promise<void> | undefined;
  const dnsVerdict = async () => {
    if (!dns || Date.now() - dns.at > DNS_CHECK_MS) {
      checking ??= s.dnsCheck().then((r) => {
        const report = r as { printersWillFindAppliance?: boolean; summary?: string };
        dns = { at: Date.now(), ok: !!report.printersWillFindAppliance, summary: String(report.summary ?? '') };
      }, (err: Error) => { dns = { at: Date.now(), ok: false, summary: `the DNS check failed: ${err.message}` }; }).finally(() => { checking = undefined; });
      await checking;
    }
    return dns!;
  };

  router.get('/api/v1/first-start', (ctx) => {
    const file = initialPasswordPath(s);
    ctx.body = { initialPasswordFile: existsSync(file) ? file : null };
  });

  router.get('/api/v1/setup', async (ctx) => {
    const port = s.announcePort?.() ?? s.settings.get('announcePort');
    const policies = s.policies.list();
    const initial = s.policies.get(String(s.settings.get('initialPolicyId') || ''));
    const auto = s.settings.get('allowAutomaticRemediation') && !!initial;
    let announced = 0, assessed = 0;
    let lastAnnouncement: string | undefined;
    for (const d of s.registry.list()) {
      const a = d.foundBy?.announcement?.last;
      if (a) { announced++; if (!lastAnnouncement || a > lastAnnouncement) lastAnnouncement = a; }
      if (d.compliance) assessed++;
    }
    const verdict = await dnsVerdict();
    const steps = [
      { id: 'password', title: 'Change the first-start password', done: !existsSync(initialPasswordPath(s)), href: '#/password',
        detail: existsSync(initialPasswordPath(s)) ? 'the generated password is still in use' : 'changed' },
      { id: 'policy', title: 'Create a policy', done: policies.length > 0, href: '#/policies/new',
        detail: policies.length ? `${policies.length} polic${policies.length === 1 ? 'y' : 'ies'}` : 'no policy yet' },
      { id: 'remediation', title: 'Turn on automatic remediation with an Initial Assessment Policy', done: auto, href: '#/instant-on',
        detail: auto ? `on, with "${initial!.name}"` : s.settings.get('allowAutomaticRemediation') ? 'on, but its policy is missing' : 'off: printers are recorded, not remediated' },
      { id: 'dns', title: 'Let printers find hp-print-mgmt', done: verdict.ok, href: '#/dns', detail: verdict.summary },
      { id: 'firewall', title: `Open TCP port ${port} from the printers to this appliance`, done: announced > 0, href: '#/instant-on',
        detail: announced ? `${announced} printer${announced === 1 ? '' : 's'} announced` : `no announcement has reached TCP port ${port} yet`, ...(lastAnnouncement ? { at: lastAnnouncement } : {}) },
      { id: 'assessed', title: 'See a printer assessed', done: assessed > 0, href: '#/devices',
        detail: assessed ? `${assessed} device${assessed === 1 ? '' : 's'} assessed` : 'no device assessed yet' },
    ];
    ctx.body = { announcePort: port, done: steps.every((x) => x.done), steps, dnsCheckedAt: new Date(dns!.at).toISOString() };
  });
}
