// npm run bench:auth — login latency at the default bcrypt cost, and what the router adds on `me`.
import bcrypt from 'bcrypt';
import { ROUTER_CREDENTIAL_HEADER, signRouterCredential } from '@pyairtable/common/identity';
import { decodeJwt } from 'jose';
import { startGraph } from '../../tests/support/graph.js';
import { graphql, login, register } from '../../tests/support/client.js';
import { describeSamples, percentile, timeEach } from './stats.js';
import { withTestDatabase } from './with-test-graph.js';

const DEFAULT_BCRYPT_COST = 12;

await withTestDatabase(async () => {
  const graph = await startGraph({ BCRYPT_COST: String(DEFAULT_BCRYPT_COST), RATE_LIMIT_PER_MINUTE: '1000000' });
  try {
    const hash = await bcrypt.hash('correct horse battery', DEFAULT_BCRYPT_COST);
    const bcryptSamples = await timeEach(20, () => bcrypt.compare('correct horse battery', hash));

    // The per-account throttle allows 5 logins per 15 minutes, so the logins spread over accounts.
    const accounts: Array<Awaited<ReturnType<typeof register>>> = [];
    for (let index = 0; index < 8; index += 1) accounts.push(await register(graph.routerUrl));
    const loginSamples = await timeEach(32, async (run) => {
      const account = accounts[run % accounts.length];
      if (!account) throw new Error('no account registered');
      const response = await login(graph.routerUrl, account.user.email, account.password);
      if (!response.body.data?.login) throw new Error(JSON.stringify(response.body.errors));
    });

    const [user] = accounts;
    if (!user) throw new Error('no account registered');
    const query = '{ me { id displayName } }';
    const throughRouter = () => graphql(graph.routerUrl, query, {}, { token: user.accessToken });
    const claims = decodeJwt(user.accessToken);
    const credential = await signRouterCredential(graph.env['ROUTER_SHARED_SECRET'] ?? '', {
      identity: { userId: user.user.id, email: user.user.email, role: 'USER', sessionId: String(claims['sid']), tokenExpiresAt: claims.exp ?? 0 },
      clientIp: '127.0.0.1',
      userAgent: null,
    });
    const directToSubgraph = () =>
      fetch(`${graph.subgraphUrls.users}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [ROUTER_CREDENTIAL_HEADER]: credential },
        body: JSON.stringify({ query }),
      }).then((response) => response.json());
    await timeEach(100, () => Promise.all([throughRouter(), directToSubgraph()]));
    const viaRouter: number[] = [];
    const direct: number[] = [];
    for (let round = 0; round < 10; round += 1) {
      viaRouter.push(...(await timeEach(50, throughRouter)));
      direct.push(...(await timeEach(50, directToSubgraph)));
    }

    const loginP50 = percentile(loginSamples, 0.5);
    const bcryptP50 = percentile(bcryptSamples, 0.5);
    const routerP50 = percentile(viaRouter, 0.5);
    const directP50 = percentile(direct, 0.5);
    console.log(describeSamples(`bcrypt.compare, cost ${DEFAULT_BCRYPT_COST} (baseline)`, bcryptSamples));
    console.log(describeSamples(`login through the router, cost ${DEFAULT_BCRYPT_COST}`, loginSamples));
    console.log(`  login p50 / bcrypt p50 = ${(loginP50 / bcryptP50).toFixed(2)}×`);
    console.log(describeSamples('me, straight to the users subgraph (baseline)', direct));
    console.log(describeSamples('me, through the router', viaRouter));
    console.log(`  router adds ${(routerP50 - directP50).toFixed(2)} ms at p50 (${(routerP50 / directP50).toFixed(2)}× the direct call)`);
  } finally {
    await graph.close();
  }
});
