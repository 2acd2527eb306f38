/** A pass-through HTTP proxy in front of a subgraph, recording what the router sends it. */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  /** The headers of every request, in arrival order. */
  seen: IncomingHttpHeaders[];
  /** The body of every request, in arrival order. */
  bodies: string[];
  server: Server;
}

/**
 * Starts the proxy in front of `target`. With `holdMs`, it holds every request that long before passing it on, so
 * that requests the router sends within that time are all in flight at once.
 */
export async function recordingProxy(target: string, { holdMs = 0 }: { holdMs?: number } = {}): Promise<RecordingProxy> {
  const seen: IncomingHttpHeaders[] = [];
  const bodies: string[] = [];
  const targetUrl = new URL(target);
  const server = createServer((incoming, outgoing) => {
    seen.push(incoming.headers);
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body.toString());
      setTimeout(() => {
        const forward = httpRequest(
          { host: targetUrl.hostname, port: targetUrl.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
          (answer) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forward.end(body);
      }, holdMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, bodies, server };
}
