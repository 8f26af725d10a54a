// The kinds of alert the appliance raises. One row each: a title for the dashboard line and the e-mail, a
// severity (syslog maps it), and whether it may be mailed (a failing mail server cannot mail about itself).
export type AlertSeverity = 'warning' | 'error' | 'critical';

interface KindDef { title: string; severity: AlertSeverity; mail: boolean; help: string }

export const ALERT_KINDS = {
  'device-noncompliant': { title: 'Device non-compliant after remediation', severity: 'error', mail: true,
    help: 'A remediation ran and the device still differs from its policy (a setting was refused or reverted).' },
  'snmp-credentials': { title: 'SNMP credentials failing', severity: 'error', mail: true,
    help: 'The device refused every SNMP credential the appliance has for it, or refused the one set for it alone while a fallback (default, global) answered.' },
  'device-unlisted': { title: 'Unlisted device announcing', severity: 'warning', mail: true,
    help: 'A device whose serial number is not on the serial-number list announced (and was refused).' },
  'device-identity-changed': { title: 'Device identity changed', severity: 'warning', mail: true,
    help: 'A known serial number announced with another MAC address or certificate (formatter replaced, or an impostor).' },
  'device-too-often': { title: 'Device announcing too often', severity: 'warning', mail: true,
    help: 'A device announced more often per hour than announceTooOftenPerHour (boot loop, flapping link).' },
  'forward-backlog': { title: 'Forwarding backlog', severity: 'warning', mail: true,
    help: 'Relays queued for a secondary listener passed alertForwardBacklog, or the outbox dropped relays.' },
  'forward-listener-failing': { title: 'Secondary listener failing', severity: 'error', mail: true,
    help: 'Relays to a secondary listener keep failing (unreachable, refused, certificate).' },
  'certificate-expiry': { title: 'Certificate near expiry', severity: 'warning', mail: true,
    help: 'The appliance identity or a trusted CA certificate expires within alertExpiryDays (or has expired).' },
  'crl-expiry': { title: 'CRL due for renewal', severity: 'warning', mail: true,
    help: 'A CRL\'s nextUpdate is within alertExpiryDays (or has passed): revocations may be missed.' },
  'store-degraded': { title: 'Store degraded', severity: 'critical', mail: true,
    help: 'The database reported errors or had to be repaired.' },
  'disk-low': { title: 'Disk space low', severity: 'critical', mail: true,
    help: 'The data folder\'s file system has less free space than alertDiskFreeMb.' },
  'syslog-failing': { title: 'Syslog target failing', severity: 'warning', mail: true,
    help: 'A syslog collector does not accept connections or messages; they queue (bounded) and are retried.' },
  'mail-failing': { title: 'Alert e-mail failing', severity: 'warning', mail: false,
    help: 'The mail server does not accept alert e-mail; it stays queued on disk and is retried.' },
} as const satisfies Record<string, KindDef>;

export type AlertKind = keyof typeof ALERT_KINDS;
export const alertKinds = Object.keys(ALERT_KINDS) as AlertKind[];
export const isAlertKind = (k: unknown): k is AlertKind => typeof k === 'string' && Object.hasOwn(ALERT_KINDS, k);
