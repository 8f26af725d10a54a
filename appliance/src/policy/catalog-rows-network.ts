// Catalog rows: network protocols and services, management access, passwords. Every OID and value comes
// from a public MIB (see catalog-sources.ts); "(inferred)" in help marks what a MIB does not say outright.
import { enumeration, inetAddress, jd, onOff, OID_BASE as B, pml, secret, text, type SettingDef } from './catalog-kinds.ts';

const P = 'protocols' as const;
const M = 'management' as const;
const W = 'passwords' as const;
const ctl = (n: number) => `${B.npCtl}.${n}.0`;
const cfg = (n: number) => `${B.npCfg}.${n}.0`;
const sec = (n: number) => `${B.npSecurity}.${n}.0`;
const eprint = (n: number) => `${B.pml}.1.25.${n}.0`;

export const PROTOCOL_ROWS: SettingDef[] = [
  jd({ id: 'telnet', title: 'Telnet', area: P, sources: ['JD3', 'LJ251', 'LJ401', 'LJ402'],
    help: 'The unencrypted configuration console on TCP 23: anyone on the LAN can watch the admin password go by. Turn it off.' }, ctl(19)),
  enumeration({ id: 'ftp', title: 'FTP printing and FTP download', area: P, sources: ['JD3'],
    help: 'Unencrypted FTP on TCP 20/21. Printing and "download" (loading files and firmware over FTP) are switched together in one value: ' +
      'choose off, or print-only if someone still prints over FTP. "on" opens both.' }, ctl(20), [
    { name: 'off', wire: 0, label: 'FTP printing and FTP download both off' },
    { name: 'on', wire: 1, label: 'FTP printing and FTP download both on' },
    { name: 'print-only', wire: 2, label: 'FTP printing on, FTP download off' },
    { name: 'download-only', wire: 3, label: 'FTP printing off, FTP download on' },
  ], 'on'),
  jd({ id: 'slp', title: 'SLP', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'Service Location Protocol announcements; only very old drivers and tools use them to find printers.' }, ctl(21)),
  jd({ id: 'lpd', title: 'LPD printing', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'Line Printer Daemon printing on TCP 515: no authentication, no encryption. Off unless old UNIX hosts print this way.' }, ctl(22)),
  jd({ id: 'raw-9100', title: 'Raw port 9100 printing', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'Raw printing on TCP 9100, which most Windows drivers use. It also accepts PJL commands from anyone who can reach it.' }, ctl(24)),
  jd({ id: 'bonjour', title: 'Bonjour (mDNS)', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'Multicast DNS announcements that Macs, iPhones and AirPrint use to find the printer.' }, ctl(29)),
  jd({ id: 'ws-discovery', title: 'WS-Discovery', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'Web Services discovery, how Windows finds printers on the local network by itself.' }, ctl(36)),
  jd({ id: 'ws-print', title: 'WS-Print', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'Web Services printing (the WSD port) from Windows.' }, ctl(37)),
  jd({ id: 'llmnr', title: 'LLMNR', area: P, sources: ['JD3', 'PW'],
    help: 'Link-Local Multicast Name Resolution answers; easy to spoof, rarely needed when DNS works.' }, ctl(38)),
  jd({ id: 'ipp', title: 'IPP printing', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'Internet Printing Protocol (TCP 631), used by driverless printing from Macs, Linux and phones.' }, cfg(18)),
  enumeration({ id: 'wpad', title: 'Web proxy auto-discovery (WPAD)', area: P, sources: ['OJ', 'PW'],
    help: 'How the printer finds a web proxy. Automatic discovery (WPAD) can be answered by any machine on the LAN and is a known way to intercept traffic.' }, ctl(39), [
    { name: 'off', wire: 0, label: 'no proxy discovery' },
    { name: 'automatic', wire: 1, label: 'discover the proxy automatically (WPAD)' },
    { name: 'manual-url', wire: 2, label: 'use a given proxy auto-config (PAC) URL' },
    { name: 'manual-proxy', wire: 3, label: 'use manually entered proxy settings' },
  ], 'automatic'),
  jd({ id: 'airprint', title: 'AirPrint', area: P, sources: ['JD3', 'PW'], help: 'Printing from Apple devices without a driver.' }, ctl(68)),
  jd({ id: 'airscan', title: 'AirScan', area: P, sources: ['JD3', 'PW'], help: 'Scanning from Apple devices: anyone on the LAN can fetch what lies on the glass.' }, ctl(79)),
  jd({ id: 'airfax', title: 'AirFax', area: P, sources: ['JD3', 'PW'], help: 'Sending faxes from Apple devices through this printer.' }, ctl(80)),
  enumeration({ id: 'google-cloud-print', title: 'Google Cloud Print', area: P, sources: ['PW', 'LJ402', 'LJ426', 'LJ452', 'LJ477', 'LJ501'],
    help: 'The retired Google cloud print service. Turning it off also unregisters the printer.' }, ctl(81), [
    { name: 'off', wire: 0, label: 'off (and unregistered)' },
    { name: 'on', wire: 1, label: 'on' },
    { name: 'removed', wire: 2, label: 'off and hidden from the printer\'s web pages' },
  ], 'on'),
  pml({ id: 'eprint-opt-in', title: 'HP ePrint allowed', area: P, sources: ['LJC', 'FS'],
    help: 'Master switch: whether the printer may be registered with HP\'s cloud for ePrint at all.' }, eprint(19), false),
  pml({ id: 'eprint-enabled', title: 'HP ePrint on', area: P, sources: ['LJC', 'FS'],
    help: 'Turns ePrint off for now while keeping the cloud registration.' }, eprint(20), true),
  pml({ id: 'eprint-email', title: 'ePrint e-mail printing', area: P, sources: ['LJC', 'FS'],
    help: 'Printing documents e-mailed to the printer\'s ePrint address from anywhere on the internet.' }, eprint(22), true),
  pml({ id: 'eprint-web-services', title: 'HP Web Services', area: P, sources: ['LJC', 'FS'],
    help: 'The printer\'s outbound connection to HP\'s cloud services.' }, eprint(24), true),
  pml({ id: 'wireless-direct-print', title: 'Wireless direct printing', area: P, sources: ['LJC', 'FS'],
    help: 'Phones connect straight to the printer\'s own Wi-Fi, around the office network and its firewall.' }, eprint(60), true),
  jd({ id: 'wifi-direct', title: 'Wi-Fi Direct', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'The printer\'s own Wi-Fi network for direct connections; it bypasses network segmentation.' }, ctl(74)),
  enumeration({ id: 'wifi-direct-connect-mode', title: 'Wi-Fi Direct connection method', area: P, sources: ['PW', 'LJ402', 'LJ426', 'LJ452', 'LJ477', 'LJ501'],
    help: 'Whether a phone may join Wi-Fi Direct unattended. "manual" needs a button press or PIN at the printer.' }, cfg(88), [
    { name: 'automatic', wire: 0, label: 'anyone may connect (a PIN only if the phone asks for one)' },
    { name: 'manual', wire: 1, label: 'a button press or PIN at the printer is needed' },
    { name: 'advanced', wire: 2, label: 'Wireless Direct with advanced settings' },
  ], 'automatic'),
  jd({ id: 'wifi-direct-ssid-broadcast', title: 'Wi-Fi Direct network name broadcast', area: P, sources: ['JD3', 'OJ', 'PW'],
    help: 'Whether the Wi-Fi Direct network name is broadcast. Hiding it works only in "advanced" mode.' }, ctl(57), true, { on: 'broadcast', off: 'hidden' }),
  jd({ id: 'wifi-direct-hide-passphrase', title: 'Hide the Wi-Fi Direct passphrase', area: P, sources: ['JD3'],
    help: 'Keeps the Wi-Fi Direct passphrase off printed reports, the panel and the NFC tag (advanced mode only).' }, ctl(58), false, { on: 'hidden', off: 'shown' }),
  jd({ id: 'wifi-direct-hide-ssid', title: 'Hide the Wi-Fi Direct name on reports', area: P, sources: ['JD3', 'PW'],
    help: 'Keeps the Wi-Fi Direct network name off printed reports and the panel (advanced mode only).' }, ctl(59), false, { on: 'hidden', off: 'shown' }),
  jd({ id: 'wireless-radio', title: 'Wireless radio', area: P, sources: ['JD3', 'OJ', 'PW'], guard: 'interface',
    help: 'The printer\'s Wi-Fi radio. Turning an interface off can cut this appliance off from the printer, so policies may not switch it off (set it at the printer).' }, ctl(47)),
  jd({ id: 'wireless-station', title: 'Wireless client mode', area: P, sources: ['OJ', 'PW'], guard: 'interface',
    help: 'The printer joining a Wi-Fi network as a client. Policies may not switch it off: the appliance may reach the printer that way.' }, ctl(73)),
  enumeration({ id: 'network-connection-mode', title: 'Active network interface', area: P, sources: ['JD3', 'OJ', 'PW'], guard: 'interface',
    help: 'On printers with both wired and wireless networking, which one is used. Only "automatic" is accepted in a policy: ' +
      'the appliance cannot tell which interface it reaches each printer through.' }, ctl(32), [
    { name: 'automatic', wire: 1, label: 'pick the interface by cable detection' },
    { name: 'wired-only', wire: 2, label: 'radio off, wired only' },
    { name: 'wireless-only', wire: 3, label: 'wired off, wireless only' },
  ], 'automatic'),
  enumeration({ id: 'direct-connect-ports', title: 'USB and parallel ports', area: P, sources: ['FS', 'IJ8060', 'LJ3015', 'LJ3035'],
    help: 'Whether printing over a directly attached USB or parallel cable is accepted. Network interfaces are not affected.' }, `${B.pml}.1.1.43.0`, [
    { name: 'off', wire: 1, label: 'direct-connect ports ignored' },
    { name: 'on', wire: 2, label: 'direct-connect ports usable' },
    { name: 'not-supported', wire: 3, label: 'the device has no such switch', reportOnly: true },
  ], 'on'),
  onOff({ id: 'ews-simple-install', title: 'Web server "simple printer install"', area: P, sources: ['JD3', 'LJ402', 'LJ501', 'LJ701'],
    help: 'A convenience page of the printer\'s web server for installing the printer; off reduces what the web server offers (inferred).' },
  sec(25), { on: 1, off: 2 }, true),
  pml({ id: 'jetsend', title: 'JetSend (legacy)', area: P, sources: ['LJC'], help: 'An old peer-to-peer document exchange service; nothing current uses it.' }, `${B.pml}.3.8.1.1.0`, false),
  onOff({ id: 'ip-forwarding', title: 'IP forwarding', area: P, sources: ['MIB2', 'OJ', 'PW'],
    help: 'Whether the printer routes packets between its interfaces. A printer should not be a router (inferred).' }, `${B.mib2}.4.1.0`, { on: 1, off: 2 }, false),
];

export const MANAGEMENT_ROWS: SettingDef[] = [
  jd({ id: 'snmp-agent', title: 'SNMP agent', area: M, sources: ['JD3', 'LJ251', 'LJ402', 'LJ501'], guard: 'snmp-agent',
    help: 'The printer\'s SNMP agent, which this appliance uses for everything. Off cannot be undone over SNMP, so a policy may only ask for on.' }, ctl(14)),
  enumeration({ id: 'snmp-version-access', title: 'SNMP versions allowed', area: M, sources: ['JD3', 'OJ', 'PW', 'LJ2025'], guard: 'snmp-versions',
    help: 'Which SNMP versions may read and write. "v3-only" ends community (v1/v2c) access; it is accepted only when this appliance has an SNMPv3 credential to go on with.' },
  ctl(27), [
    { name: 'v1v2-rw-v3-rw', wire: 1, label: 'v1/v2c read-write, v3 read-write' },
    { name: 'v1v2-ro-v3-rw', wire: 2, label: 'v1/v2c read-only, v3 read-write' },
    { name: 'v3-only', wire: 3, label: 'v1/v2c no access, v3 read-write' },
    { name: 'v1v2-rw-no-v3', wire: 4, label: 'v1/v2c read-write, v3 off' },
    { name: 'v1v2-ro-no-v3', wire: 5, label: 'v1/v2c read-only, v3 off' },
  ], 'v1v2-rw-v3-rw'),
  secret({ id: 'snmp-set-community', title: 'SNMP write community', area: M, sources: ['JD3', 'OJ', 'PW', 'LJ2025'], guard: 'snmp-write-community',
    help: 'Replaces the factory write communities. Accepted only when it equals the write community of one of this appliance\'s v2c credentials, or an SNMPv3 credential exists. ' +
      'The printer only says whether one is set.' }, `${B.community}.1.0`, { readBack: 'set-not-set' }, { max: 255 }),
  secret({ id: 'snmp-get-community', title: 'SNMP read community', area: M, sources: ['JD3', 'OJ', 'PW', 'LJ2025'],
    help: 'Adds a read community (the factory ones keep working unless "Accept the factory read community" is off). The printer only says whether one is set.' },
  `${B.community}.2.0`, { readBack: 'set-not-set' }, { max: 255 }),
  jd({ id: 'snmp-default-read-community', title: 'Accept the factory read community', area: M, sources: ['OJ', 'PW', 'LJ251', 'LJ252', 'LJ276', 'LJ277', 'LJ401', 'LJ402'],
    guard: 'snmp-default-read',
    help: 'Off refuses reads with the factory community "public". Accepted only when this appliance reads with another community or with SNMPv3.' }, cfg(40)),
  enumeration({ id: 'snmpv3-auth-algorithm', title: 'SNMPv3 authentication algorithm', area: M, sources: ['JD3', 'OJ', 'PW', 'LJ402', 'LJ501'],
    help: 'Digest of the printer\'s SNMPv3 account.' }, sec(44), [
    { name: 'md5', wire: 2, label: 'MD5' }, { name: 'sha1', wire: 3, label: 'SHA-1' },
  ], 'md5'),
  enumeration({ id: 'snmpv3-priv-algorithm', title: 'SNMPv3 privacy algorithm', area: M, sources: ['JD3', 'OJ', 'PW', 'LJ402', 'LJ501'],
    help: 'Encryption of the printer\'s SNMPv3 account.' }, sec(45), [
    { name: 'des', wire: 2, label: 'DES' }, { name: 'aes128', wire: 3, label: 'AES-128' },
  ], 'des'),
  enumeration({ id: 'snmpv3-key-format', title: 'SNMPv3 key format', area: M, sources: ['OJ', 'PW'],
    help: 'Whether SNMPv3 keys written to the printer are raw keys or passphrases.' }, sec(46), [
    { name: 'key', wire: 0, label: 'raw keys' }, { name: 'passphrase', wire: 1, label: 'passphrases' },
  ], 'passphrase'),
  jd({ id: 'http-acl-check', title: 'Apply the access list to the web server', area: M, sources: ['JD3', 'LJ402'],
    help: 'Whether the printer\'s IP access list also restricts its web server (otherwise it guards printing only).' }, `${B.npWeb}.17.0`, false),
  onOff({ id: 'https-redirect', title: 'Redirect HTTP to HTTPS', area: M, sources: ['JD3', 'OJ', 'PW', 'LJ402'],
    help: 'Sends visitors of the printer\'s web pages to the encrypted HTTPS address.' }, sec(23), { on: 1, off: 2 }, false),
  pml({ id: 'ews-info-tab-protect', title: 'Sign-in for the web server\'s Information tab', area: M, sources: ['LJC', 'FS'],
    help: 'On: nothing of the printer\'s web pages is visible without the admin password (when one is set).' }, eprint(17), false),
  jd({ id: 'ipp-auth', title: 'IPP requires a password', area: M, sources: ['JD3', 'LJ402', 'LJ426', 'LJ452', 'LJ477', 'LJ501'],
    help: 'IPP print jobs need HTTP Basic credentials. The printer accepts "on" only once an IPP user and password are set, which needs an encrypted write (not supported here).' },
  sec(61), false),
  jd({ id: 'hpdap-announce', title: 'Announcement agent', area: M, sources: ['PW'],
    help: 'The printer\'s Instant-On announcement agent: it tells a management server (this appliance) when it starts, is reset or changes address. ' +
      'Enabled by default on most printers (the PageWide MIB gives "disable" as its default).' }, ctl(65), true),
  jd({ id: 'hpdap-trusted-auth', title: 'Announcement agent requires trusted authentication', area: M, sources: ['PW'],
    help: 'On: the printer announces only over a TLS connection whose server certificate it trusts (mutual authentication). Needs certificates installed first.' }, ctl(66), false),
  inetAddress({ id: 'hpdap-server', title: 'Announcement agent server address', area: M, sources: ['PW'],
    help: 'Where the announcement agent announces. "this-appliance" is replaced, for each printer, by this appliance\'s address as the printer sees it: ' +
      'the printer then announces here without any DNS record. Empty: the printer looks up hp-print-mgmt in DNS.' }, cfg(99)),
  text({ id: 'sys-contact', title: 'Contact', area: M, sources: ['MIB2'], help: 'Who looks after this printer (MIB-II sysContact).' }, `${B.mib2}.1.4.0`, 255),
  text({ id: 'sys-name', title: 'Device name', area: M, sources: ['MIB2'], help: 'The printer\'s administrative name (MIB-II sysName).' }, `${B.mib2}.1.5.0`, 255),
  text({ id: 'sys-location', title: 'Location', area: M, sources: ['MIB2'], help: 'Where the printer stands (MIB-II sysLocation).' }, `${B.mib2}.1.6.0`, 255),
];

export const PASSWORD_ROWS: SettingDef[] = [
  secret({ id: 'admin-password', title: 'Admin password', area: W, sources: ['OJ', 'PW', 'LJ2025', 'LJ251', 'LJ252', 'LJ276', 'LJ277', 'LJ401', 'LJ402', 'LJ501'],
    help: 'The printer\'s administrator password (web pages and Telnet). Checked against the printer\'s verify object where it has one; ' +
      'otherwise the printer only says whether a password is set.' }, cfg(29), { readBack: 'set-not-set', verifyOid: cfg(28) }, { max: 16 }),
  secret({ id: 'ews-password-legacy', title: 'Web server password (older MFPs)', area: W, sources: ['LJ4100MFP', 'LJ4650', 'LJ9000MFP'],
    help: 'The password older MFPs use to protect their web pages\' configuration.' }, `${B.pml}.3.9.1.1.0`, { readBack: 'not-stated' }, { max: 16 }),
  secret({ id: 'fs-password', title: 'File-system password', area: W, sources: ['LJC', 'LJ4650'],
    help: 'Protects the disk settings (erase mode, external access). The printer reports only whether one is set; changing an existing one needs the old one, so a policy sets it where none is.' },
  `${B.pml}.1.10.1.9.0`, { readBack: 'state-digit' }, { max: 255 }),
  secret({ id: 'web-proxy-password', title: 'Web proxy password', area: W, sources: ['JD3', 'OJ', 'PW'],
    help: 'Password for the proxy the printer uses to reach the internet.' }, `${B.npWeb}.15.0`, { readBack: 'not-stated' }, { max: 32 }),
];
