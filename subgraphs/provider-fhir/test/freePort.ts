import { once } from 'node:events';
import net from 'node:net';

/**
 * A loopback port free just now, for a subgraph whose own URL must be configured (the FHIR
 * server's notification endpoint) before it listens. Another process could take it in between;
 * on a test machine that is rare enough, and the listen then fails loudly.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
