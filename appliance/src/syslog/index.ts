// Public surface of the syslog room: other rooms import only from here.
export { alertEvent, auditEvent, deviceEvent } from './events.ts';
export { SyslogForwarder } from './forwarder.ts';
