import type { Identity } from '@pyairtable/common/identity';

export interface RouterContext {
  identity: Identity | null;
  /** Signed once per request and sent to every subgraph the plan calls. */
  routerCredential: string;
  requestId: string;
}
