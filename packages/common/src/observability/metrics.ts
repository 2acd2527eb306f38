import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { codeOf } from '../errors/registry.js';

export interface ServiceMetrics {
  registry: Registry;
  graphqlRequests: Counter<'operation' | 'outcome'>;
  graphqlDuration: Histogram<'operation'>;
  graphqlErrors: Counter<'code'>;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    graphqlRequests: new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome (ok or error).',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request duration by operation name.',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphqlErrors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors answered, by error code.',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}

const OPERATION_LABEL_MAX = 64;

/** Client-chosen operation names become labels, so they are bounded in length and charset. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return name.replace(/[^\w]/g, '_').slice(0, OPERATION_LABEL_MAX);
}

export function metricsPlugin<TContext extends object>(metrics: ServiceMetrics): ApolloServerPlugin<TContext> {
  return {
    requestDidStart() {
      const stopTimer = metrics.graphqlDuration.startTimer();
      let failed = false;
      return Promise.resolve({
        didEncounterErrors({ errors }) {
          failed = true;
          for (const error of errors) metrics.graphqlErrors.inc({ code: codeOf(error) ?? 'INTERNAL_SERVER_ERROR' });
          return Promise.resolve();
        },
        willSendResponse({ operationName, request }) {
          const operation = operationLabel(operationName ?? request.operationName);
          stopTimer({ operation });
          metrics.graphqlRequests.inc({ operation, outcome: failed ? 'error' : 'ok' });
          return Promise.resolve();
        },
      });
    },
  };
}
