// The objects a simulated HP printer serves, as the printer implements them: MIB names, instance OIDs, native
// syntax and numbers, factory values. Written from the public MIB files (docs: printer-snmp-settings.md), NOT
// derived from the settings catalog, so that tests of the catalog against these agents (and against Debian
// snmpd serving the same table, test/fakes/snmpd/) can fail when a catalog row gets a convention wrong.
// Factory values the MIBs do not state are this simulator's choice (marked "sim").

export type NativeFamily = 'jetdirect' | 'hp-device' | 'printer-mib' | 'mib-2';

export interface NativeObject {
  name: string;
  /** Instance OID. */
  oid: string;
  syntax: 'Integer' | 'OctetString' | 'IpAddress';
  /** INTEGER: the enumeration (a SET of another number is refused with wrongValue/badValue). */
  values?: readonly number[];
  /** INTEGER: the allowed range. */
  range?: readonly [number, number];
  /** OCTET STRING: allowed length. */
  size?: readonly [number, number];
  factory: number | string;
  family: NativeFamily;
  /** Password-type object: a read answers SET / NOT_SET (or a state digit); the value is never read back. */
  writeOnly?: 'set-not-set' | 'state-digit';
  /** Writing a candidate compares it with this object's secret: noError on a match, genErr otherwise. */
  verifies?: string;
}

const CTL = '1.3.6.1.4.1.11.2.4.3.7';
const CFG = '1.3.6.1.4.1.11.2.4.3.5';
const TCP = '1.3.6.1.4.1.11.2.4.3.6';
const WEB = '1.3.6.1.4.1.11.2.4.3.18';
const SEC = '1.3.6.1.4.1.11.2.4.3.20';
const PML = '1.3.6.1.4.1.11.2.3.9.4.2.1';
const PRT = '1.3.6.1.2.1.43.5.1.1';

const jdSwitch = (name: string, oid: string, factory: 0 | 1): NativeObject => ({ name, oid, syntax: 'Integer', values: [0, 1], factory, family: 'jetdirect' });
const jdEnum = (name: string, oid: string, values: number[], factory: number): NativeObject => ({ name, oid, syntax: 'Integer', values, factory, family: 'jetdirect' });
/** HP PML eOff(1)/eOn(2) and the like. */
const pmlEnum = (name: string, oid: string, values: number[], factory: number): NativeObject => ({ name, oid, syntax: 'Integer', values, factory, family: 'hp-device' });

export const HP_OBJECTS: readonly NativeObject[] = Object.freeze([
  // JetDirect npCtl (…4.3.7.N): 0 = disable, 1 = enable unless the MIB names other values.
  jdSwitch('npCtlSNMPEnableDisable', `${CTL}.14.0`, 1),
  jdSwitch('npCtlTelnet', `${CTL}.19.0`, 1),
  jdEnum('npCtlFTP', `${CTL}.20.0`, [0, 1, 2, 3], 1),
  jdSwitch('npCtlSLP', `${CTL}.21.0`, 1),
  jdSwitch('npCtlLPD', `${CTL}.22.0`, 1),
  jdSwitch('npCtl9100', `${CTL}.24.0`, 1),
  jdSwitch('npCtlSysLog', `${CTL}.26.0`, 1),
  jdEnum('npCtlSnmpVersionAccess', `${CTL}.27.0`, [1, 2, 3, 4, 5], 1),
  jdSwitch('npCtlBonjour', `${CTL}.29.0`, 1),
  jdEnum('npCtlNetworkConnectionMode', `${CTL}.32.0`, [1, 2, 3], 1),
  jdSwitch('npCtlWSDiscovery', `${CTL}.36.0`, 1),
  jdSwitch('npCtlWSPrint', `${CTL}.37.0`, 1),
  jdSwitch('npCtlLLMNR', `${CTL}.38.0`, 1),
  jdEnum('npCtlWPAD', `${CTL}.39.0`, [0, 1, 2, 3], 1), // sim
  jdSwitch('npCtlFpDot11WirelessState', `${CTL}.47.0`, 1),
  jdSwitch('npCtlWiFiDirectSSIDBroadcast', `${CTL}.57.0`, 1),
  jdSwitch('npCtlWiFiDirectHidePassphrase', `${CTL}.58.0`, 0),
  jdSwitch('npCtlWiFiDirectHideSsid', `${CTL}.59.0`, 0),
  // The white paper: the announcement agent is enabled by default (the PageWide MIB says disable).
  jdSwitch('npCtlHpDAPAgentAnnounceState', `${CTL}.65.0`, 1),
  jdSwitch('npCtlHpDAPAgentRequireTrustedAuth', `${CTL}.66.0`, 0),
  jdSwitch('npCtlAirPrintStatus', `${CTL}.68.0`, 1),
  jdSwitch('npCtlAllowRFC5746TLS-SSLCompatibilityMode', `${CTL}.70.0`, 1),
  jdSwitch('npCtlWirelessSTAState', `${CTL}.73.0`, 1),
  jdSwitch('npCtlWiFiDirectState', `${CTL}.74.0`, 1), // sim
  jdSwitch('npCtlAirScan', `${CTL}.79.0`, 1),
  jdSwitch('npCtlAirFax', `${CTL}.80.0`, 1),
  jdEnum('npCtlGCPrint', `${CTL}.81.0`, [0, 1, 2], 1),
  // JetDirect npCfg (…4.3.5.N), npTcp (…4.3.6.N), npWeb (…4.3.18.N).
  { name: 'npCfgLogServer', oid: `${CFG}.5.0`, syntax: 'IpAddress', factory: '0.0.0.0', family: 'jetdirect' },
  jdSwitch('npCfgIPP', `${CFG}.18.0`, 1),
  { name: 'npCfgPasswd1Verify', oid: `${CFG}.28.0`, syntax: 'OctetString', size: [0, 16], factory: '', family: 'jetdirect', verifies: 'npCfgPasswd1' },
  { name: 'npCfgPasswd1', oid: `${CFG}.29.0`, syntax: 'OctetString', size: [0, 16], factory: '', family: 'jetdirect', writeOnly: 'set-not-set' },
  jdSwitch('npCfgSnmpDefaultReadCmnty', `${CFG}.40.0`, 1),
  jdEnum('npCfgWiFiDirectConnectionSecurity', `${CFG}.88.0`, [0, 1, 2], 0), // sim
  jdEnum('npCfgSysLogProtocol', `${CFG}.97.0`, [6, 17], 17),
  { name: 'npCfgSysLogPort', oid: `${CFG}.98.0`, syntax: 'Integer', range: [1, 65535], factory: 514, family: 'jetdirect' },
  // InetAddress as four octets, zero when empty.
  { name: 'npCfgHpDAPAgentManualServerAddr', oid: `${CFG}.99.0`, syntax: 'OctetString', size: [0, 16], factory: '\u0000\u0000\u0000\u0000', family: 'jetdirect' },
  { name: 'npTcpSyslogMax', oid: `${TCP}.11.0`, syntax: 'Integer', range: [0, 1000], factory: 10, family: 'jetdirect' }, // sim
  { name: 'npTcpAppSyslogPriority', oid: `${TCP}.12.0`, syntax: 'Integer', range: [0, 8], factory: 7, family: 'jetdirect' }, // sim
  { name: 'npWebProxyUserPasswd', oid: `${WEB}.15.0`, syntax: 'OctetString', size: [0, 32], factory: '', family: 'jetdirect', writeOnly: 'set-not-set' },
  jdSwitch('npWebCheckACLforHTTP', `${WEB}.17.0`, 0),
  // JetDirect npSecurity (…4.3.20.N): mixed conventions, each as its MIB states.
  { name: 'npSecurityDot11ServerAuthentication', oid: `${SEC}.1.0`, syntax: 'Integer', range: [0, 31], factory: 0, family: 'jetdirect' },
  { name: 'npSecurityDot1xEapMd5Identity', oid: `${SEC}.2.0`, syntax: 'OctetString', size: [0, 130], factory: '', family: 'jetdirect' },
  { name: 'npSecurityDot1xTLSAuthServerId', oid: `${SEC}.3.0`, syntax: 'OctetString', size: [0, 64], factory: '', family: 'jetdirect' },
  { name: 'npSecurityDot1xTunnelAuthBits', oid: `${SEC}.17.0`, syntax: 'Integer', range: [0, 63], factory: 0, family: 'jetdirect' },
  jdEnum('npSecurityDot11ExactMatchServerId', `${SEC}.19.0`, [1, 2], 2),
  jdEnum('npSecurityDot11EncryptionStrength', `${SEC}.20.0`, [1, 2, 3], 2), // sim
  jdEnum('npSecuritySslRedirection', `${SEC}.23.0`, [1, 2], 2),
  jdEnum('npSecurityWebSpiEnable', `${SEC}.25.0`, [1, 2], 1),
  jdEnum('npSecurityDot11Encryption', `${SEC}.28.0`, [0, 1, 2, 3, 4], 4), // sim
  { name: 'npSecurityDot11MulticastCipher', oid: `${SEC}.29.0`, syntax: 'Integer', range: [1, 3], factory: 3, family: 'jetdirect' },
  jdEnum('npSecuritySslEncryptionStrength', `${SEC}.40.0`, [1, 2, 3], 2), // sim
  jdEnum('npSecurityDot11DynamicEncryption', `${SEC}.42.0`, [0, 1, 2, 3, 4], 3), // sim
  jdEnum('npSecurityDot11LinkAuthentication', `${SEC}.43.0`, [1, 2, 128, 143], 1), // sim
  jdEnum('npSecuritySnmpV3AuthAlgorithm', `${SEC}.44.0`, [2, 3], 2),
  jdEnum('npSecuritySnmpV3PrivAlgorithm', `${SEC}.45.0`, [2, 3], 2),
  jdEnum('npSecuritySnmpV3PassPhrase', `${SEC}.46.0`, [0, 1], 1), // sim
  jdEnum('npSecurityWirelessDirectEncryptionMethod', `${SEC}.51.0`, [1, 2], 2), // sim
  jdEnum('npSecurityDot1xFailSafe', `${SEC}.57.0`, [0, 1], 1), // sim
  { name: 'npSecuritySSLProtocol', oid: `${SEC}.58.0`, syntax: 'Integer', range: [1, 15], factory: 15, family: 'jetdirect' }, // sim
  jdEnum('npSecurityIppAuthentication', `${SEC}.61.0`, [0, 1], 0),
  // The community MIB (…11.2.15.1.N): the agent's own communities.
  { name: 'setCommunityName', oid: '1.3.6.1.4.1.11.2.15.1.1.0', syntax: 'OctetString', size: [0, 255], factory: '', family: 'jetdirect', writeOnly: 'set-not-set' },
  { name: 'getCommunityName', oid: '1.3.6.1.4.1.11.2.15.1.2.0', syntax: 'OctetString', size: [0, 255], factory: '', family: 'jetdirect', writeOnly: 'set-not-set' },
  // HP device objects (PML, …4.2.1): eOff(1) / eOn(2), eDisabled(1) / eEnabled(2), eFalse(1) / eTrue(2).
  pmlEnum('control-panel-lock', `${PML}.1.1.8.0`, [1, 2], 1),
  pmlEnum('direct-connect-ports-enable', `${PML}.1.1.43.0`, [1, 2, 3], 2),
  pmlEnum('remote-upgrade-version-checking-enable', `${PML}.1.1.75.0`, [1, 3], 1),
  { name: 'hold-job-timeout', oid: `${PML}.1.6.1.10.0`, syntax: 'Integer', range: [0, 10080], factory: 0, family: 'hp-device' },
  pmlEnum('enable-jobheldtimeout-for-stored-jobs', `${PML}.1.6.1.13.0`, [1, 2], 1),
  { name: 'held-job-set-queue-size', oid: `${PML}.1.6.7.2.3.0`, syntax: 'Integer', range: [0, 50], factory: 32, family: 'hp-device' },
  pmlEnum('held-job-enable', `${PML}.1.6.7.2.4.0`, [1, 2], 2),
  { name: 'file-system-security-access-password', oid: `${PML}.1.10.1.9.0`, syntax: 'OctetString', size: [0, 255], factory: '', family: 'hp-device', writeOnly: 'state-digit' },
  pmlEnum('secure-disk-autolock-mode', `${PML}.1.10.1.17.0`, [1, 2], 1),
  pmlEnum('file-system1-write-protect', `${PML}.1.10.3.1.4.0`, [1, 2], 1),
  pmlEnum('remote-upgrade-enable', `${PML}.1.20.8.0`, [1, 2], 2),
  pmlEnum('protect-ews-info-tab', `${PML}.1.25.17.0`, [1, 2], 1),
  pmlEnum('eprint-opt-in', `${PML}.1.25.19.0`, [1, 2], 1),
  pmlEnum('eprint-enabled', `${PML}.1.25.20.0`, [1, 2], 2),
  pmlEnum('eprint-email', `${PML}.1.25.22.0`, [1, 2], 2),
  pmlEnum('eprint-hp-web-services', `${PML}.1.25.24.0`, [1, 2], 2),
  pmlEnum('wireless-direct-print-setting', `${PML}.1.25.60.0`, [1, 2], 2),
  pmlEnum('pjl-device-access', `${PML}.3.5.4.0`, [1, 2], 2),
  pmlEnum('jetsend-mode', `${PML}.3.8.1.1.0`, [1, 2], 1),
  { name: 'web-server-password', oid: `${PML}.3.9.1.1.0`, syntax: 'OctetString', size: [0, 16], factory: '', family: 'hp-device', writeOnly: 'set-not-set' },
  { name: 'default-authentication-timeout', oid: `${PML}.4.1.1.16.0`, syntax: 'Integer', range: [0, 300000], factory: 60000, family: 'hp-device' },
  // Printer-MIB prtGeneralTable, hrDeviceIndex 1 (columns of a table the agent registers as such).
  { name: 'prtConsoleDisable', oid: `${PRT}.13.1`, syntax: 'Integer', values: [3, 4], factory: 3, family: 'printer-mib' },
  { name: 'prtAuxiliarySheetStartupPage', oid: `${PRT}.14.1`, syntax: 'Integer', values: [1, 3, 4, 5], factory: 3, family: 'printer-mib' },
  // MIB-II.
  { name: 'sysContact', oid: '1.3.6.1.2.1.1.4.0', syntax: 'OctetString', size: [0, 255], factory: '', family: 'mib-2' },
  { name: 'sysName', oid: '1.3.6.1.2.1.1.5.0', syntax: 'OctetString', size: [0, 255], factory: '', family: 'mib-2' },
  { name: 'sysLocation', oid: '1.3.6.1.2.1.1.6.0', syntax: 'OctetString', size: [0, 255], factory: '', family: 'mib-2' },
  { name: 'ipForwarding', oid: '1.3.6.1.2.1.4.1.0', syntax: 'Integer', values: [1, 2], factory: 2, family: 'mib-2' },
  { name: 'snmpEnableAuthenTraps', oid: '1.3.6.1.2.1.11.30.0', syntax: 'Integer', values: [1, 2], factory: 2, family: 'mib-2' },
]);

export const HP_OBJECT_BY_NAME = new Map(HP_OBJECTS.map((o) => [o.name, o]));
export const HP_OBJECT_BY_OID = new Map(HP_OBJECTS.map((o) => [o.oid, o]));
