// The alerts room's public surface: other rooms raise and resolve through `Alerts`; the controller builds the
// rest (the center, e-mail delivery, the checks).
export { ALERT_KINDS, alertKinds, isAlertKind, type AlertKind, type AlertSeverity } from './kinds.ts';
export { AlertCenter, type Alerts, type AlertChange, type AlertRecord, type AlertInput, type AlertSink } from './alert-center.ts';
export { AlertMailer, subscriptionsSchema, type Subscription } from './mail-queue.ts';
export { DeviceAlerts } from './device-alerts.ts';
export * as checks from './checks.ts';
export type { MailText } from './digest.ts';
export { sendMail } from './mailer.ts';
export type { SmtpConfig } from './mailer.ts';
