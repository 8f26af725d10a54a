// Public surface of the api room: other rooms import only from here.
export { ApiTokens } from './api-tokens.ts';
export { createApiApp } from './app.ts';
export type { RouteInstaller } from './app.ts';
export { AuditLog } from './audit.ts';
export { DeviceActions } from './device-actions.ts';
export type { GroupMembersPort } from './device-actions.ts';
export type { AppServices } from './services.ts';
export { Sessions } from './sessions.ts';
export { Users } from './users.ts';
export { WebServer } from './web-server.ts';
