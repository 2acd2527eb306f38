import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MemoryRevocationChannel, RevocationSync, RevocationsUnavailable } from '@pyairtable/common/identity';
import { createLogger } from '@pyairtable/common/observability';

const token = { sessionId: 'session-1', userId: 'user-1', issuedAtMs: Date.now() };

/** An auth revocation feed on a free port that answers with `statuses` in turn (200 with an empty record), then 200. */
async function feed(statuses: number[]): Promise<{ url: string; server: Server; pulls: () => number }> {
  let pulls = 0;
  const server = createServer((_request, response) => {
    const status = statuses[pulls] ?? 200;
    pulls += 1;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ asOf: Date.now(), revocations: [] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/revocations`, server, pulls: () => pulls };
}

describe('the router’s revocation sync at start', () => {
  const started: Array<{ sync: RevocationSync; server: Server }> = [];
  const startSync = async (statuses: number[]) => {
    const served = await feed(statuses);
    const sync = new RevocationSync({
      feedUrl: served.url,
      routerSecret: 'a-router-secret-that-is-long-enough-for-hs256-0123456789',
      channel: new MemoryRevocationChannel(),
      // Longer than a test: only the pulls the checks ask for happen.
      pullIntervalMs: 60_000,
      maxStalenessMs: 30_000,
      logger: createLogger('revocation-sync-test', 'silent'),
    });
    sync.start();
    started.push({ sync, server: served.server });
    return { sync, pulls: served.pulls };
  };
  afterEach(async () => {
    for (const { sync, server } of started.splice(0)) {
      await sync.stop();
      server.close();
    }
  });

  it('vouches for a token once its first pull answers', async () => {
    const { sync } = await startSync([]);
    await expect(sync.isRevoked(token)).resolves.toBe(false);
  });

  it('pulls again for the next check when the first pull failed, instead of refusing until the next interval', async () => {
    const { sync, pulls } = await startSync([503]);
    // The first check shares the failing first pull and is refused: nothing could vouch for the token yet.
    await expect(sync.isRevoked(token)).rejects.toBeInstanceOf(RevocationsUnavailable);
    await expect(sync.isRevoked(token)).resolves.toBe(false);
    expect(pulls()).toBe(2);
  });
});
