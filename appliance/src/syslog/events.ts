// What each kind of appliance event looks like in syslog: a MSGID, a severity, the SD-ELEMENT with its fields
// and a readable MSG. The shapes taken here are structural (what the audit log, the alert center and the
// registry already emit), so this room imports none of them.
import { ENTERPRISE_NUMBER, type SdElement, type Severity } from './rfc5424.ts';

export interface SyslogEvent { msgId: string; severity: Severity; audit?: boolean; sd: SdElement[]; message: string }

export const SD_ID = { audit: `audit@${ENTERPRISE_NUMBER}`, alert: `alert@${ENTERPRISE_NUMBER}`, device: `device@${ENTERPRISE_NUMBER}` } as const;

interface AuditLike { id: string; at: string; user: string; ip: string; method: string; path: string; status: number; action: string; request?: unknown }

export function auditEvent(e: AuditLike): SyslogEvent {
  const failed = e.action === 'login-failed' || e.action === 'login-locked';
  const request = e.request === undefined ? '' : ` ${JSON.stringify(e.request).slice(0, 1000)}`;
  return {
    msgId: 'AUDIT', severity: failed ? 'warning' : 'notice', audit: true,
    sd: [{ id: SD_ID.audit, params: { id: e.id, action: e.action, user: e.user, ip: e.ip, method: e.method, path: e.path, status: e.status } }],
    message: `${e.user} ${e.action} ${e.method} ${e.path} → ${e.status}${request}`,
  };
}

interface AlertChangeLike {
  type: 'raised' | 'resolved';
  alert: { id: string; kind: string; key: string; severity: 'warning' | 'error' | 'critical'; title: string; message: string; raisedAt: string;
    resolvedAt?: string; occurrences: number; detail: Record<string, string | number | boolean | null> };
}

export function alertEvent(c: AlertChangeLike): SyslogEvent {
  const a = c.alert;
  // Detail fields keep their names as PARAM-NAMEs, prefixed so they cannot collide with ours.
  const detail = Object.fromEntries(Object.entries(a.detail).map(([k, v]) => [`d.${k}`, v]));
  return {
    msgId: c.type === 'raised' ? 'ALERT' : 'ALERT-RESOLVED',
    severity: c.type === 'resolved' ? 'notice' : a.severity === 'critical' ? 'critical' : a.severity === 'error' ? 'error' : 'warning',
    sd: [{ id: SD_ID.alert, params: { id: a.id, state: c.type, kind: a.kind, key: a.key, raisedAt: a.raisedAt, resolvedAt: a.resolvedAt, occurrences: a.occurrences, ...detail } }],
    message: `${c.type === 'raised' ? 'ALERT' : 'RESOLVED'} ${a.title}: ${a.message}`,
  };
}

interface DeviceEventLike {
  /** discovered, found (by discovery), changed, announced, … */
  type: string;
  reason?: string;
  device: { serialNumber: string; macAddress: string; model: string; ipv4?: string; hostname?: string; firmware?: string; peerAddress: string;
    authMethod?: string; discoveredBy?: string; compliance?: { status: string; policyName: string; at: string } };
}

export function deviceEvent(e: DeviceEventLike): SyslogEvent {
  const d = e.device;
  const c = d.compliance;
  const severity: Severity = c && (c.status === 'auth-failed' || c.status === 'non-compliant') && e.type === 'changed' ? 'warning' : 'info';
  return {
    msgId: `DEVICE-${e.type.toUpperCase()}`, severity,
    sd: [{ id: SD_ID.device, params: { event: e.type, reason: e.reason, serial: d.serialNumber, mac: d.macAddress, model: d.model, ip: d.ipv4 ?? d.peerAddress,
      hostname: d.hostname, firmware: d.firmware, auth: d.authMethod, compliance: c?.status, policy: c?.policyName, assessedAt: c?.at } }],
    message: `device ${d.serialNumber} ${e.type}${e.reason ? ` (${e.reason})` : ''}${c ? `; compliance ${c.status}` : ''}`,
  };
}
