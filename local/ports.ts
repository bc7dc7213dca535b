// Loopback ports for the local stack's servers.
import { createServer } from 'node:net';

/** A port the OS considers free right now, for servers that cannot listen on port 0 themselves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('No port was assigned'));
      });
    });
  });
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use: another program (perhaps another npm start) is listening there.\n` +
        `Stop it, or start on another port: PORT=${port + 1} npm start`,
    );
  }
}
