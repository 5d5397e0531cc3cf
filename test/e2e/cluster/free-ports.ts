/** Free TCP ports on 127.0.0.1, asked of the kernel by binding port 0. */
import { createServer, type Server } from 'node:net';

/**
 * `count` distinct free ports. All listeners stay open until every port is known, so the kernel
 * cannot hand the same port out twice; another process may still take one before it is used.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port from listen(0)');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
