// The SNMPv3 protocols we offer, mapped to net-snmp's constants — one table for the manager (snmp/) and the
// simulated printers (sim/), so both sides always localize keys the same way.
import snmp from 'net-snmp';

export const AUTH_PROTOCOLS = { sha: snmp.AuthProtocols.sha, sha256: snmp.AuthProtocols.sha256 } as const;
// Net-SNMP's (and most printers') "AES-256" localizes the key the Blumenthal way (draft-blumenthal-aes-usm).
export const PRIV_PROTOCOLS = { aes: snmp.PrivProtocols.aes, aes256: snmp.PrivProtocols.aes256b } as const;
