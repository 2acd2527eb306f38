import { describe, expect, it } from '@jest/globals';
import { auditServer } from 'graphql-http';
import { useGraph } from '../support/use-graph.js';

const graph = useGraph({ ENABLE_INTROSPECTION: 'true', RATE_LIMIT_PER_MINUTE: '100000' });

describe('GraphQL over HTTP conformance (graphql-http serverAudits)', () => {
  it('passes every required audit against the router; the recommendations it misses are the documented ones', async () => {
    const results = await auditServer({ url: `${graph.routerUrl}/graphql` });
    const failures = results
      .filter((result) => result.status === 'error')
      .map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(failures).toEqual([]);
    // Apollo Server answers request errors with 400 also to legacy application/json clients, which API.md's
    // status mapping relies on. These three, and no others, are listed with that reason in README.md.
    const warnings = results.filter((result) => result.status === 'warn').map((result) => result.name);
    expect(warnings.sort()).toEqual([
      'SHOULD use 200 status code on document parsing failure when accepting application/json',
      'SHOULD use 200 status code on document validation failure when accepting application/json',
      'SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
    ]);
    expect(results.filter((result) => result.status === 'ok').length).toBeGreaterThanOrEqual(55);
  });
});
