/** The graph a test file (or a describe block) shares: started before its tests, closed after them. */
import { afterAll, beforeAll } from '@jest/globals';
import { startGraph, type TestGraph } from './graph.js';

/** What the tests read of their graph: every part of a TestGraph but close() (useGraph closes it), and its URL. */
export interface SharedGraph extends Omit<TestGraph, 'close'> {
  /** The router's URL, where clients talk to the graph (the same as routerUrl). */
  readonly url: string;
  /** The started graph itself, for code that takes a TestGraph. */
  readonly graph: TestGraph;
}

/** Settings for the graph, or a function giving them once earlier beforeAll hooks have run (e.g. a database they created). */
export type GraphOverrides = Record<string, string> | (() => Record<string, string>);

/**
 * Registers a beforeAll that starts the router and every subgraph (startGraph) and an afterAll that closes them,
 * in the scope it is called in. Hooks run in the order they are declared: a beforeAll declared after this call
 * can use the graph, and an afterAll declared after it runs once the graph is closed.
 */
export function useGraph(overrides: GraphOverrides = {}): SharedGraph {
  let started: TestGraph | undefined;
  const current = (): TestGraph => {
    if (!started) throw new Error('useGraph: the graph is read before its beforeAll started it (or it failed to start)');
    return started;
  };
  beforeAll(async () => {
    started = await startGraph(typeof overrides === 'function' ? overrides() : overrides);
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  return {
    get url() {
      return current().routerUrl;
    },
    get routerUrl() {
      return current().routerUrl;
    },
    get subgraphUrls() {
      return current().subgraphUrls;
    },
    get env() {
      return current().env;
    },
    get services() {
      return current().services;
    },
    get mail() {
      return current().mail;
    },
    get graph() {
      return current();
    },
  };
}
