// Public surface of the announce room (TCP 3329): the listener, the intake that decides each answer, the
// authorizer and capture mode. Other rooms import only from here.
export { AnnouncementListener } from './listener.ts';
export type { AnnouncementHandler, PeerContext, ListenerOptions } from './listener.ts';
export { handle } from './connection.ts';
export type { SessionDeps, SessionCounters } from './connection.ts';
export { createIntake, MAX_FORWARD_HOPS } from './intake.ts';
export type { IntakeDeps, Verdict } from './intake.ts';
export { createAuthorizer } from './authorize.ts';
export type { AuthorizerDeps } from './authorize.ts';
export { storeCaptureSink } from './capture-store.ts';
