// This appliance's address as a printer sees it: the source address the kernel picks for datagrams to the
// printer, which is the local address of the SNMP session's socket once it is connected to the printer.
// A connect() on UDP sends nothing; it only asks the routing table.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';

export async function localAddressToward(host: string, port: number): Promise<string> {
  const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, host, () => resolve());
    });
    return socket.address().address;
  } finally {
    socket.close();
  }
}
