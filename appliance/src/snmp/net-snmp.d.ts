// Just the part of net-snmp 3.29 (no published types) that the adapter and the simulated agents use.
declare module 'net-snmp' {
  import type { EventEmitter } from 'node:events';
  import type * as dgram from 'node:dgram';

  export interface Varbind {
    oid: string;
    type: number;
    value: unknown;
  }
  export type ResponseCallback = (error: Error | null, varbinds?: Varbind[]) => void;

  export interface SessionOptions {
    port?: number;
    retries?: number;
    timeout?: number;
    backoff?: number;
    transport?: 'udp4' | 'udp6';
    version?: number;
    idBitsSize?: 16 | 32;
    dgramModule?: { createSocket(type: dgram.SocketType): dgram.Socket };
    engineID?: string;
    context?: string;
  }

  export interface User {
    name: string;
    level: number;
    authProtocol?: number;
    authKey?: string;
    privProtocol?: number;
    privKey?: string;
  }

  export class Session extends EventEmitter {
    get(oids: string[], cb: ResponseCallback): void;
    getNext(oids: string[], cb: ResponseCallback): void;
    set(varbinds: Varbind[], cb: ResponseCallback): void;
    close(): this;
  }

  export function createSession(target: string, community: string, options?: SessionOptions): Session;
  export function createV3Session(target: string, user: User, options?: SessionOptions): Session;

  export interface MibRequest {
    oid: string;
    operation: number;
    instanceNode: { value: unknown };
    setValue?: unknown;
    setType?: number;
    /** Set during the first (test) and second (commit) pass of a SET. */
    testSet?: boolean;
    commitSet?: boolean;
    done(error?: { errorStatus: number; type?: number; value?: unknown }): void;
  }
  export interface ProviderDefinition {
    name: string;
    type: number;
    oid: string;
    scalarType?: number;
    maxAccess: number;
    defVal?: unknown;
    constraints?: unknown;
    tableColumns?: Array<{ number: number; name: string; type: number; maxAccess: number; constraints?: unknown; defVal?: unknown }>;
    tableIndex?: Array<{ columnName: string; foreign?: string }>;
    handler?: (req: MibRequest) => void;
  }
  export interface Mib {
    registerProvider(def: ProviderDefinition): void;
    registerProviders(defs: ProviderDefinition[]): void;
    unregisterProvider(name: string): void;
    setScalarValue(name: string, value: unknown): boolean;
    getScalarValue(name: string): unknown;
    addTableRow(name: string, row: unknown[]): void;
    getTableSingleCell(name: string, column: number, rowIndex: unknown[]): unknown;
    setTableSingleCell(name: string, column: number, rowIndex: unknown[], value: unknown): boolean;
    /** The node at an OID (an instance node holds `value`). */
    lookup(oid: string): { value: unknown } | null | undefined;
  }
  export interface Authorizer {
    addCommunity(c: string): void;
    deleteCommunity(c: string): void;
    addUser(u: User): void;
    getAccessControlModel(): {
      setCommunityAccess(c: string, level: number): void;
      removeCommunityAccess(c: string): void;
      setUserAccess(u: string, level: number): void;
    };
  }
  export interface AgentOptions {
    port?: number;
    address?: string | null;
    transport?: 'udp4' | 'udp6';
    engineID?: string;
    disableAuthorization?: boolean;
    accessControlModelType?: number;
    dgramModule?: { createSocket(type: dgram.SocketType): dgram.Socket };
  }
  export interface Agent {
    getMib(): Mib;
    getAuthorizer(): Authorizer;
    close(cb?: (socket: unknown) => void): void;
  }
  export function createAgent(options: AgentOptions, cb: (error: Error | null, data?: unknown) => void, mib?: Mib): Agent;
  export function createMib(options?: unknown): Mib;

  export const Version1: number;
  export const Version2c: number;
  export const Version3: number;
  export const ObjectType: Record<string, number> & Record<number, string>;
  /** How the agent turns a SET's value into the stored one (replaceable: see sim/native-mib.ts). */
  export const ObjectTypeUtil: { castSetValue(type: number, value: unknown, constraints?: unknown): unknown };
  export const ErrorStatus: Record<string, number> & Record<number, string>;
  export const SecurityLevel: { noAuthNoPriv: number; authNoPriv: number; authPriv: number };
  export const AuthProtocols: Record<string, number>;
  export const PrivProtocols: Record<string, number>;
  export const MibProviderType: { Scalar: number; Table: number };
  export const MaxAccess: Record<string, number>;
  export const AccessControlModelType: { None: number; Simple: number };
  export const AccessLevel: { None: number; ReadOnly: number; ReadWrite: number };
  export const PduType: Record<string, number>;
  export const ResponseInvalidCode: Record<string, number>;

  export class RequestFailedError extends Error {
    status: number;
  }
  export class RequestTimedOutError extends Error {}
  export class ResponseInvalidError extends Error {
    code: number;
  }
  export class RequestInvalidError extends Error {}

  const snmp: {
    createSession: typeof createSession;
    createV3Session: typeof createV3Session;
    createAgent: typeof createAgent;
    createMib: typeof createMib;
    Version1: number;
    Version2c: number;
    Version3: number;
    ObjectType: typeof ObjectType;
    ObjectTypeUtil: typeof ObjectTypeUtil;
    ErrorStatus: typeof ErrorStatus;
    SecurityLevel: typeof SecurityLevel;
    AuthProtocols: typeof AuthProtocols;
    PrivProtocols: typeof PrivProtocols;
    MibProviderType: typeof MibProviderType;
    MaxAccess: typeof MaxAccess;
    AccessControlModelType: typeof AccessControlModelType;
    AccessLevel: typeof AccessLevel;
    PduType: typeof PduType;
    ResponseInvalidCode: typeof ResponseInvalidCode;
    RequestFailedError: typeof RequestFailedError;
    RequestTimedOutError: typeof RequestTimedOutError;
    ResponseInvalidError: typeof ResponseInvalidError;
  };
  export default snmp;
}
