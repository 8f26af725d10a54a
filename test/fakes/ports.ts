// A TCP port for a server a test starts as a child process (it cannot report port 0 back before it is
// ready). Picked below the kernel's ephemeral range (32768+), so no outgoing connection or port-0 listener
// of a parallel test can hold it, and checked free on loopback.
import net from 'node:net';

export async function freePort(): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen({ host: '127.0.0.1', port, exclusive: true }, () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
