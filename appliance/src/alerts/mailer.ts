// Sending one e-mail through the configured SMTP server with nodemailer: STARTTLS required (587), implicit
// TLS (465) or plain (a local relay only), optional sign-in. The server's certificate is checked against the
// system CAs plus the appliance's trusted CAs (a branch mail relay often has a company-CA certificate); the
// password goes only over TLS to a server whose certificate was checked.
import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import type { MailText } from './digest.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  verifyCertificate: boolean;
  user: string;
  password: string;
  from: string;
  timeoutMs: number;
  /** Extra CA certificates (PEM) to trust for the server's certificate. */
  ca: string[];
}

/** Thrown before any connection for a configuration that must not be used. */
export class MailConfigError extends Error { readonly code = 'mail-config'; }

export function senderAddress(cfg: SmtpConfig): string {
  return cfg.from || `instant-on@${hostname().replace(/[^A-Za-z0-9.-]/g, '-') || 'appliance'}`;
}

async function transportFor(cfg: SmtpConfig) {
  if (!cfg.host) throw new MailConfigError('no mail server: set smtpHost');
  // A password over an unencrypted connection could be read by anyone on the branch LAN.
  if (cfg.security === 'none' && cfg.user) throw new MailConfigError('refusing to send the SMTP password without TLS: set smtpSecurity to starttls or tls');
  // Nor to a server whose certificate is not checked: anyone on the path can present one and take the password.
  if (cfg.user && !cfg.verifyCertificate) {
    throw new MailConfigError('refusing to send the SMTP password to a server whose certificate is not checked: turn smtpVerifyCertificate on (a company-CA certificate: add that CA under trusted CAs)');
  }
  // Loaded on the first mail, not at start: most appliances never send one, and nodemailer is ~2 MB of heap.
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: cfg.host, port: cfg.port,
    secure: cfg.security === 'tls', requireTLS: cfg.security === 'starttls', ignoreTLS: cfg.security === 'none',
    auth: cfg.user ? { user: cfg.user, pass: cfg.password } : undefined,
    connectionTimeout: cfg.timeoutMs, greetingTimeout: cfg.timeoutMs, socketTimeout: cfg.timeoutMs, dnsTimeout: cfg.timeoutMs,
    name: hostname(),
    disableFileAccess: true, disableUrlAccess: true,
    tls: { minVersion: 'TLSv1.2', rejectUnauthorized: cfg.verifyCertificate, ...(cfg.verifyCertificate ? { ca: [...rootCertificates, ...cfg.ca] } : {}) },
  });
}

/** Sends one message; rejects with an Error whose message says what went wrong (never the password). */
export async function sendMail(cfg: SmtpConfig, to: string[], mail: MailText, headers: Record<string, string> = {}): Promise<void> {
  const transport = await transportFor(cfg);
  try {
    await transport.sendMail({ from: senderAddress(cfg), to, subject: mail.subject, text: mail.text, headers, ...(mail.attachments ? { attachments: mail.attachments } : {}) });
  } finally {
    transport.close();
  }
}

/** A one-line explanation of a nodemailer failure for the status line and the page. */
export function describeMailError(err: unknown, cfg: Pick<SmtpConfig, 'host' | 'port' | 'password'>): string {
  const e = err as { code?: string; message?: string; responseCode?: number };
  let text = `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
  if (cfg.password) text = text.split(cfg.password).join('***');
  return `${cfg.host}:${cfg.port}: ${text.replace(/[\r\n]+/g, ' ').slice(0, 300)}`;
}
