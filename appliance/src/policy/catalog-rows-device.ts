// Catalog rows: device, panel, storage and jobs; TLS, 802.1X and wireless security; logging; firmware.
import { enumeration, flags, integer, ipAddress, jd, onOff, OID_BASE as B, pml, text, type SettingDef } from './catalog-kinds.ts';

const D = 'device' as const;
const T = 'tls' as const;
const L = 'logging' as const;
const F = 'firmware' as const;
const sec = (n: number) => `${B.npSecurity}.${n}.0`;
const dev = (path: string) => `${B.pml}.${path}.0`;
const LOW_MED_HIGH = [
  { name: 'low', wire: 1, label: 'low: every cipher suite the device knows' },
  { name: 'medium', wire: 2, label: 'medium' },
  { name: 'high', wire: 3, label: 'high: strong suites only' },
];

export const DEVICE_ROWS: SettingDef[] = [
  // prtConsoleDisable of hrDeviceIndex 1 (inferred: printers number their one printer device 1).
  onOff({ id: 'control-panel-lock', title: 'Control panel input', area: D, sources: ['PRT', 'OJ'],
    help: 'true refuses input at the printer\'s panel (Printer-MIB "disabled", 4); false accepts it ("enabled", 3). ' +
      'Note the inversion: "locked" is the Printer-MIB value "disabled".' },
  `${B.prtGeneral}.13.1`, { on: 4, off: 3 }, false, { on: 'locked', off: 'usable' }),
  pml({ id: 'panel-config-lock', title: 'Control panel configuration lock', area: D, sources: ['LJC'],
    help: 'On: the printer\'s configuration cannot be changed at its panel (printing and copying still work). Older LaserJets.' }, dev('1.1.8'), false),
  pml({ id: 'pjl-device-access', title: 'PJL device commands', area: D, sources: ['FS'],
    help: 'Whether print jobs may carry PJL commands that change the printer\'s stored settings — a common way to tamper with printers.' }, dev('3.5.4'), true),
  pml({ id: 'fs-write-protect', title: 'Disk write protection', area: D, sources: ['LJC'],
    help: 'On: the contents of the printer\'s disk (fonts, forms) cannot be changed. Only where a disk is fitted.' }, dev('1.10.3.1.4'), false),
  onOff({ id: 'secure-disk-autolock', title: 'Secure disk locks itself at start', area: D, sources: ['LJ4525'],
    help: 'On: the encrypted disk is locked to this printer automatically at every start, so a stolen disk is unreadable.' },
  dev('1.10.1.17'), { on: 2, off: 1 }, false),
  pml({ id: 'job-retention', title: 'Job retention (stored and PIN jobs)', area: D, sources: ['LJC', 'FS'],
    help: 'Off: no job is kept on the printer (held, proof, stored or PIN jobs); jobs already held stay until deleted.' }, dev('1.6.7.2.4'), true),
  integer({ id: 'held-job-timeout', title: 'Delete held jobs after', area: D, sources: ['LJC', 'FS'],
    help: 'Minutes after which temporarily held jobs are deleted (0 = never). Some models round to 0, 60, 240, 1440 or 10080; applies to jobs sent after the change.' },
  dev('1.6.1.10'), 0, 10080, 0, 'minutes'),
  pml({ id: 'stored-job-timeout', title: 'Held-job timeout applies to stored jobs', area: D, sources: ['LJ4525'],
    help: 'On: stored print and copy jobs are deleted by the held-job timeout too.' }, dev('1.6.1.13'), false),
  integer({ id: 'held-job-queue-size', title: 'Held jobs kept at most', area: D, sources: ['LJC', 'FS'],
    help: 'How many temporary held jobs the printer keeps.' }, dev('1.6.7.2.3'), 0, 50, 32, 'jobs'),
  integer({ id: 'panel-auth-timeout', title: 'Panel sign-in timeout', area: D, sources: ['LJ3035', 'LJ4100MFP', 'LJ5035', 'LJ9000MFP'],
    help: 'Idle time after which a sign-in at the panel of an MFP ends.' }, dev('4.1.1.16'), 0, 300000, 60000, 'milliseconds'),
  enumeration({ id: 'startup-page', title: 'Configuration page at power-on', area: D, sources: ['PRT'],
    help: 'A page printed at every start, often with the network configuration on it.' }, `${B.prtGeneral}.14.1`, [
    { name: 'other', wire: 1, label: 'other', reportOnly: true },
    { name: 'on', wire: 3, label: 'printed' },
    { name: 'off', wire: 4, label: 'not printed' },
    { name: 'not-present', wire: 5, label: 'the printer has no such page', reportOnly: true },
  ], 'on'),
];

export const TLS_ROWS: SettingDef[] = [
  flags({ id: 'tls-versions', title: 'TLS versions accepted', area: T, sources: ['OJ', 'PW'],
    help: 'The protocol versions of the printer\'s HTTPS and other TLS services. A baseline allows TLS 1.2 only.' }, sec(58), [
    { name: 'ssl3', wire: 1, label: 'SSL 3.0' }, { name: 'tls1.0', wire: 2, label: 'TLS 1.0' },
    { name: 'tls1.1', wire: 4, label: 'TLS 1.1' }, { name: 'tls1.2', wire: 8, label: 'TLS 1.2' },
  ], 'ssl3,tls1.0,tls1.1,tls1.2', { atLeastOne: true }),
  enumeration({ id: 'tls-cipher-strength', title: 'TLS cipher strength', area: T, sources: ['JD3', 'PW', 'LJ252', 'LJ277', 'LJ402', 'LJ426'],
    help: 'Which set of cipher suites the printer offers.' }, sec(40), LOW_MED_HIGH, 'medium'),
  jd({ id: 'tls-legacy-renegotiation', title: 'Legacy TLS renegotiation', area: T, sources: ['JD3', 'LJ402', 'LJ501'],
    help: 'Renegotiation without the RFC 5746 fix, open to a known man-in-the-middle attack. Turn off.' }, `${B.npCtl}.70.0`),
  flags({ id: 'dot1x-eap-methods', title: '802.1X methods', area: T, sources: ['JD3', 'OJ', 'PW', 'LJ402', 'LJ501'],
    help: 'EAP methods the printer may use to authenticate to the network (802.1X).' }, sec(1), [
    { name: 'eap-md5', wire: 1, label: 'EAP-MD5' }, { name: 'eap-tls', wire: 2, label: 'EAP-TLS' }, { name: 'leap', wire: 4, label: 'LEAP' },
    { name: 'peap', wire: 8, label: 'PEAP' }, { name: 'ttls', wire: 16, label: 'EAP-TTLS' },
  ], ''),
  text({ id: 'dot1x-username', title: '802.1X user name', area: T, sources: ['JD3', 'OJ', 'PW', 'LJ402'],
    help: 'The user name the printer authenticates with (its password needs an encrypted write, not supported here).' }, sec(2), 130),
  text({ id: 'dot1x-server-id', title: '802.1X server name', area: T, sources: ['JD3', 'OJ', 'PW', 'LJ402'],
    help: 'The name the authentication server\'s certificate must carry. Empty accepts any trusted certificate.' }, sec(3), 64),
  onOff({ id: 'dot1x-exact-server-id', title: '802.1X server name must match exactly', area: T, sources: ['JD3', 'LJ402'],
    help: 'On: the whole server name must match, so a look-alike server with a longer name is refused.' }, sec(19), { on: 1, off: 2 }, false),
  enumeration({ id: 'dot1x-tls-strength', title: '802.1X tunnel strength', area: T, sources: ['JD3', 'LJ402'],
    help: 'Minimum cipher set inside the EAP TLS tunnel.' }, sec(20), LOW_MED_HIGH, 'medium'),
  flags({ id: 'dot1x-inner-methods', title: '802.1X inner methods', area: T, sources: ['JD3', 'LJ252', 'LJ277', 'LJ402', 'LJ426'],
    help: 'Methods allowed inside a PEAP or TTLS tunnel.' }, sec(17), [
    { name: 'eap-md5', wire: 1, label: 'EAP-MD5' }, { name: 'eap-mschap', wire: 2, label: 'EAP-MSCHAP' }, { name: 'eap-mschapv2', wire: 4, label: 'EAP-MSCHAPv2' },
    { name: 'mschap', wire: 8, label: 'MSCHAP' }, { name: 'mschapv2', wire: 16, label: 'MSCHAPv2' }, { name: 'eap-gtc', wire: 32, label: 'EAP-GTC' },
  ], ''),
  jd({ id: 'dot1x-failsafe', title: '802.1X fail-open', area: T, sources: ['JD3', 'OJ', 'PW'],
    help: 'On: the printer stays on the network when 802.1X authentication fails. Off blocks it (fail closed).' }, sec(57), true),
  enumeration({ id: 'wifi-wpa-mode', title: 'Wi-Fi security mode', area: T, sources: ['JD3', 'OJ', 'PW'],
    help: 'The security of the Wi-Fi network the printer joins.' }, sec(42), [
    { name: 'none', wire: 0, label: 'none' }, { name: 'basic', wire: 1, label: 'basic (WEP)' }, { name: 'wpa', wire: 2, label: 'WPA' },
    { name: 'wpa2', wire: 3, label: 'WPA2' }, { name: 'auto', wire: 4, label: 'automatic' },
  ], 'wpa2'),
  enumeration({ id: 'wifi-encryption', title: 'Wi-Fi cipher', area: T, sources: ['JD3', 'OJ', 'PW'],
    help: 'The cipher used on the Wi-Fi network the printer joins. WEP and TKIP are broken.' }, sec(28), [
    { name: 'none', wire: 0, label: 'none' }, { name: 'wep', wire: 1, label: 'WEP' }, { name: 'tkip', wire: 2, label: 'TKIP' },
    { name: 'aes', wire: 3, label: 'AES' }, { name: 'auto', wire: 4, label: 'automatic' },
  ], 'auto'),
  enumeration({ id: 'wifi-link-auth', title: 'Wi-Fi link authentication', area: T, sources: ['JD3', 'OJ', 'PW'],
    help: 'Link-level authentication to the access point. Shared key and LEAP are weak.' }, sec(43), [
    { name: 'open', wire: 1, label: 'open system' }, { name: 'shared-key', wire: 2, label: 'shared key' },
    { name: 'leap', wire: 128, label: 'LEAP' }, { name: 'auto', wire: 143, label: 'automatic' },
  ], 'open'),
  flags({ id: 'wifi-multicast-cipher', title: 'Wi-Fi group cipher', area: T, sources: ['JD3', 'OJ', 'PW'],
    help: 'Ciphers accepted for multicast traffic; WEP is broken.' }, sec(29), [
    { name: 'wep', wire: 1, label: 'WEP' }, { name: 'wpa', wire: 2, label: 'WPA' },
  ], 'wep,wpa', { atLeastOne: true }),
  enumeration({ id: 'wifi-direct-encryption', title: 'Wi-Fi Direct encryption', area: T, sources: ['JD3', 'OJ', 'LJ402', 'LJ501'],
    help: 'Whether the printer\'s own Wi-Fi Direct network is encrypted.' }, sec(51), [
    { name: 'open', wire: 1, label: 'no security' }, { name: 'wpa', wire: 2, label: 'WPA' },
  ], 'wpa'),
];

export const LOGGING_ROWS: SettingDef[] = [
  jd({ id: 'syslog', title: 'Syslog', area: L, sources: ['JD3', 'PW'], help: 'Sending the printer\'s log to a syslog server.' }, `${B.npCtl}.26.0`),
  ipAddress({ id: 'syslog-server', title: 'Syslog server', area: L, sources: ['JD3', 'PW'],
    help: 'Where the printer sends its log. A printer that got this address from BOOTP refuses the change.' }, `${B.npCfg}.5.0`),
  integer({ id: 'syslog-rate', title: 'Syslog messages per minute', area: L, sources: ['JD3', 'PW'],
    help: 'At most this many log messages a minute (0 stops syslog).' }, `${B.npTcp}.11.0`, 0, 1000, 10, 'per minute'),
  integer({ id: 'syslog-min-priority', title: 'Syslog priority threshold', area: L, sources: ['JD3', 'PW'],
    help: 'Messages of a priority number above this (0 emergency … 7 debug) are not sent; 8 sends none.' }, `${B.npTcp}.12.0`, 0, 8, 7),
  enumeration({ id: 'syslog-transport', title: 'Syslog transport', area: L, sources: ['PW'],
    help: 'TCP delivers log messages reliably; UDP may drop them.' }, `${B.npCfg}.97.0`, [
    { name: 'tcp', wire: 6, label: 'TCP' }, { name: 'udp', wire: 17, label: 'UDP' },
  ], 'udp'),
  integer({ id: 'syslog-port', title: 'Syslog server port', area: L, sources: ['PW'], help: 'The syslog server\'s port.' }, `${B.npCfg}.98.0`, 1, 65535, 514),
  onOff({ id: 'snmp-auth-traps', title: 'SNMP authentication-failure traps', area: L, sources: ['MIB2', 'OJ', 'PW'],
    help: 'The printer sends a trap when someone tries a wrong community or SNMPv3 key, so guessing shows up.' }, `${B.mib2}.11.30.0`, { on: 1, off: 2 }, false),
];

export const FIRMWARE_ROWS: SettingDef[] = [
  pml({ id: 'remote-fw-upgrade', title: 'Remote firmware upgrade', area: F, sources: ['LJC', 'IJ8060', 'LJ3015', 'LJ3035'],
    help: 'Whether firmware may be loaded over the network. Off blocks unauthorised loads; turn it on for the time of an upgrade.' }, dev('1.20.8'), true),
  enumeration({ id: 'fw-same-version-check', title: 'Skip re-loading the same firmware', area: F, sources: ['LJ3015', 'LJ3035', 'LJ4525', 'LJ5035'],
    help: 'Whether a remote upgrade to the version already installed is skipped. Not downgrade protection.' }, dev('1.1.75'), [
    { name: 'always-apply', wire: 1, label: 'always apply an upgrade' },
    { name: 'skip-same-version', wire: 3, label: 'apply only a different version' },
  ], 'always-apply'),
];
