/**
 * Test PKI made with the `openssl` command-line tool — an implementation independent of ours — in a temp
 * directory: a root CA (RSA-2048), an intermediate (EC P-256), an unrelated "other" CA and an impostor that copies the root's
 * name with its own key. Certificates are issued with `openssl ca` so dates, digests and extensions can
 * be set exactly; CRLs come from `openssl ca -gencrl`.
 *
 *   const pki = await OpensslPki.create();
 *   const leaf = await pki.issue('dev1', { issuer: 'inter', key: 'ec-p256', ext: 'client' });
 *   ...
 *   await pki.cleanup();
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** `rsa-2052`: a modulus that is not whole bytes; `ec-p256-explicit`: P-256 written as explicit parameters. */
export type KeySpec = 'ec-p256' | 'ec-p384' | 'ec-p224' | 'rsa-1024' | 'rsa-2048' | 'rsa-2052' | 'dsa-2048' | 'ec-p256-explicit';
/**
 * The four made by create(), and CAs made on demand with subCa(): `sub` under inter (whose pathlen is 0),
 * `wide` under root with pathlen 1 and `deep` under wide, `odd` with an unknown critical extension,
 * `constrained` with critical nameConstraints, `nocrlsign` whose keyUsage lacks cRLSign.
 */
export type CaName = 'root' | 'inter' | 'other' | 'impostor' | 'sub' | 'wide' | 'deep' | 'odd' | 'constrained' | 'nocrlsign';
const CA_NAMES: CaName[] = ['root', 'inter', 'other', 'impostor', 'sub', 'wide', 'deep', 'odd', 'constrained', 'nocrlsign'];
/** Extension sections of the generated config (see CONFIG below); `none` issues an X.509 v1 certificate. */
export type ExtName = 'client' | 'client-server' | 'server-only' | 'no-digital-signature' | 'no-usage-extensions' | 'inter'
  | 'client-critical-unknown' | 'client-any-eku' | 'client-critical-eku' | 'none'
  | 'sub' | 'wide' | 'odd' | 'constrained' | 'nocrlsign';

export interface TestCert {
  name: string;
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
  /** DER of the certificate. */
  der: Buffer;
}

const ROOT_SUBJECT = '/O=Instant-On Test/CN=Test Root CA';

function config(dir: string): string {
  const ca = (name: string): string => `
[ ${name} ]
dir = ${path.join(dir, name)}
database = $dir/index.txt
new_certs_dir = $dir/new
certificate = $dir/ca.pem
private_key = $dir/ca.key
rand_serial = yes
crlnumber = $dir/crlnumber
default_md = sha256
default_days = 365
default_crl_days = 7
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
`;
  return `
[ ca ]
default_ca = root
${CA_NAMES.map(ca).join('')}
[ policy_any ]
organizationName = optional
commonName = supplied

[ req ]
distinguished_name = req_dn
[ req_dn ]

[ ext_root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[ ext_inter ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ext_client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ext_client-server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ext_server-only ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid

[ ext_no-digital-signature ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid

[ ext_no-usage-extensions ]
basicConstraints = critical,CA:FALSE

[ ext_client-critical-unknown ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55738.666.1 = critical,ASN1:NULL

[ ext_client-any-eku ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth,anyExtendedKeyUsage
authorityKeyIdentifier = keyid

[ ext_client-critical-eku ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,clientAuth
authorityKeyIdentifier = keyid

[ ext_sub ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ext_wide ]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ ext_odd ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55738.666.1 = critical,ASN1:NULL

[ ext_constrained ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
nameConstraints = critical,permitted;DNS:example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[ crl_critical-unknown ]
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55738.666.1 = critical,ASN1:NULL

[ crl_scoped ]
issuingDistributionPoint = critical,@idp_scoped
[ idp_scoped ]
onlysomereasons = keyCompromise

[ ext_nocrlsign ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;
}

/** `openssl ca` date form: YYMMDDHHMMSSZ before 2050, YYYYMMDDHHMMSSZ after (RFC 5280 time rule). */
export function opensslDate(date: Date): string {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${date.getUTCFullYear() < 2050 ? iso.slice(2) : iso}Z`;
}

export class OpensslPki {
  readonly dir: string;
  readonly configPath: string;
  private counter = 0;
  root!: TestCert;
  inter!: TestCert;
  other!: TestCert;
  impostor!: TestCert;
  /** CAs made with subCa(), by name. */
  readonly cas: Partial<Record<CaName, TestCert>> = {};

  private constructor(dir: string) {
    this.dir = dir;
    this.configPath = path.join(dir, 'openssl.cnf');
  }

  /** Creates root, intermediate (issued by root), other and impostor CAs. */
  static async create(): Promise<OpensslPki> {
    const pki = new OpensslPki(await mkdtemp(path.join(os.tmpdir(), 'ioe-openssl-pki-')));
    await writeFile(pki.configPath, config(pki.dir));
    for (const name of CA_NAMES) {
      await mkdir(path.join(pki.dir, name, 'new'), { recursive: true });
      await writeFile(path.join(pki.dir, name, 'index.txt'), '');
      await writeFile(path.join(pki.dir, name, 'crlnumber'), '1000\n');
    }
    // RSA root (so MD5 and SHA-1 RSA signatures can be made), EC intermediate: both key families are covered.
    pki.root = await pki.selfSignedCa('root', ROOT_SUBJECT, 'rsa-2048');
    // Same subject as the root, different key: certificates it signs name the trusted root as issuer.
    pki.impostor = await pki.selfSignedCa('impostor', ROOT_SUBJECT);
    pki.other = await pki.selfSignedCa('other', '/O=Elsewhere/CN=Other CA');
    const inter = await pki.issue('inter-ca', { issuer: 'root', key: 'ec-p256', ext: 'inter', subject: '/O=Instant-On Test/CN=Test Issuing CA' });
    await writeFile(path.join(pki.dir, 'inter', 'ca.pem'), inter.certPem);
    await writeFile(path.join(pki.dir, 'inter', 'ca.key'), inter.keyPem);
    pki.inter = inter;
    return pki;
  }

  /** An intermediate CA `name` issued by `issuer`, with the extension section of the same name unless told. */
  async subCa(name: Exclude<CaName, 'root' | 'inter' | 'other' | 'impostor'>, issuer: CaName, ext: ExtName = name as ExtName): Promise<TestCert> {
    const cert = await this.issue(`${name}-ca`, { issuer, key: 'ec-p256', ext, subject: `/O=Instant-On Test/CN=Test ${name} CA` });
    await writeFile(path.join(this.dir, name, 'ca.pem'), cert.certPem);
    await writeFile(path.join(this.dir, name, 'ca.key'), cert.keyPem);
    this.cas[name] = cert;
    return cert;
  }

  /** `openssl ca` rewrites its index file, so CA operations run one at a time even when tests overlap. */
  private caQueue: Promise<unknown> = Promise.resolve();

  async openssl(args: string[]): Promise<{ stdout: string; stderr: string }> {
    if (args[0] !== 'ca') return exec('openssl', args, { cwd: this.dir, encoding: 'utf8' });
    const run = this.caQueue.then(() => exec('openssl', args, { cwd: this.dir, encoding: 'utf8' }));
    this.caQueue = run.catch(() => undefined);
    return run;
  }

  async newKey(file: string, spec: KeySpec): Promise<string> {
    const keyPath = path.join(this.dir, file);
    const [algorithm, size, encoding] = spec.split('-');
    if (algorithm === 'dsa') {
      const params = path.join(this.dir, `${file}.params`);
      await this.openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', `dsa_paramgen_bits:${size}`, '-out', params]);
      await this.openssl(['genpkey', '-paramfile', params, '-out', keyPath]);
      return keyPath;
    }
    const opts = algorithm === 'ec' ? ['-pkeyopt', `ec_paramgen_curve:P-${size.slice(1)}`] : ['-pkeyopt', `rsa_keygen_bits:${size}`];
    if (encoding === 'explicit') opts.push('-pkeyopt', 'ec_param_enc:explicit');
    await this.openssl(['genpkey', '-algorithm', algorithm.toUpperCase(), ...opts, '-out', keyPath]);
    return keyPath;
  }

  private async selfSignedCa(name: CaName, subject: string, key: KeySpec = 'ec-p256'): Promise<TestCert> {
    const keyPath = await this.newKey(path.join(name, 'ca.key'), key);
    const certPath = path.join(this.dir, name, 'ca.pem');
    await this.openssl(['req', '-config', this.configPath, '-new', '-x509', '-key', keyPath, '-subj', subject,
      '-days', '3650', '-sha256', '-extensions', 'ext_root', '-out', certPath]);
    return this.load(name, certPath, keyPath);
  }

  private async load(name: string, certPath: string, keyPath: string): Promise<TestCert> {
    const certPem = await readFile(certPath, 'utf8');
    const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    return { name, certPath, keyPath, certPem, keyPem: await readFile(keyPath, 'utf8'), der };
  }

  /** Issues a certificate with `openssl ca` for a new key; dates default to now-1h … now+365d. */
  async issue(
    name: string,
    opts: { issuer: CaName; key: KeySpec; ext: ExtName; md?: string; start?: Date; end?: Date; subject?: string },
  ): Promise<TestCert> {
    const id = `${name}-${++this.counter}`;
    const keyPath = await this.newKey(`${id}.key`, opts.key);
    const csrPath = path.join(this.dir, `${id}.csr`);
    const subject = opts.subject ?? `/O=Instant-On Test/CN=${name}`;
    await this.openssl(['req', '-config', this.configPath, '-new', '-key', keyPath, '-subj', subject, '-out', csrPath]);
    const certPath = await this.signCsrFile(id, csrPath, opts);
    return this.load(name, certPath, keyPath);
  }

  /** Signs a CSR made elsewhere (e.g. by our code); returns the certificate PEM. */
  async signCsr(csrPem: string, opts: { issuer: CaName; ext: ExtName; md?: string; start?: Date; end?: Date }): Promise<string> {
    const id = `csr-${++this.counter}`;
    const csrPath = await this.file(`${id}.csr`, csrPem);
    return readFile(await this.signCsrFile(id, csrPath, opts), 'utf8');
  }

  private async signCsrFile(id: string, csrPath: string, opts: { issuer: CaName; ext: ExtName; md?: string; start?: Date; end?: Date }): Promise<string> {
    const certPath = path.join(this.dir, `${id}.pem`);
    const start = opts.start ?? new Date(Date.now() - 3600_000);
    const end = opts.end ?? new Date(Date.now() + 365 * 86400_000);
    await this.openssl(['ca', '-config', this.configPath, '-name', opts.issuer, '-batch', '-notext', '-in', csrPath,
      '-out', certPath, ...(opts.ext === 'none' ? [] : ['-extensions', `ext_${opts.ext}`]), '-md', opts.md ?? 'sha256',
      '-startdate', opensslDate(start), '-enddate', opensslDate(end)]);
    return certPath;
  }

  /** A self-signed end-entity certificate (no CA behind it at all). */
  async selfSigned(name: string, key: KeySpec): Promise<TestCert> {
    const id = `${name}-${++this.counter}`;
    const keyPath = await this.newKey(`${id}.key`, key);
    const certPath = path.join(this.dir, `${id}.pem`);
    await this.openssl(['req', '-config', this.configPath, '-new', '-x509', '-key', keyPath, '-subj', `/CN=${name}`,
      '-days', '30', '-sha256', '-extensions', 'ext_client', '-out', certPath]);
    return this.load(name, certPath, keyPath);
  }

  async revoke(cert: TestCert, issuer: CaName, reason = 'keyCompromise'): Promise<void> {
    await this.openssl(['ca', '-config', this.configPath, '-name', issuer, '-revoke', cert.certPath, '-crl_reason', reason]);
  }

  /**
   * A CRL for `issuer` with explicit lastUpdate/nextUpdate (defaults: now-1h … now+7d). PEM text. `exts`
   * adds a CRL extension section: `critical-unknown` (a critical extension nobody processes) or `scoped`
   * (an issuing distribution point limited to some reasons).
   */
  async crl(issuer: CaName, opts: { lastUpdate?: Date; nextUpdate?: Date; exts?: 'critical-unknown' | 'scoped' } = {}): Promise<string> {
    const out = path.join(this.dir, `${issuer}-${++this.counter}.crl`);
    const last = opts.lastUpdate ?? new Date(Date.now() - 3600_000);
    const next = opts.nextUpdate ?? new Date(Date.now() + 7 * 86400_000);
    await this.openssl(['ca', '-config', this.configPath, '-name', issuer, '-gencrl', '-out', out,
      '-crl_lastupdate', opensslDate(last), '-crl_nextupdate', opensslDate(next), ...(opts.exts ? ['-crlexts', `crl_${opts.exts}`] : [])]);
    return readFile(out, 'utf8');
  }

  /** Writes text to a file in the PKI directory and returns its path (for feeding our output to openssl). */
  async file(name: string, content: string | Buffer): Promise<string> {
    const p = path.join(this.dir, name);
    await writeFile(p, content);
    return p;
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
