import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, getOperationAST, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
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
      help: 'GraphQL requests by operation (a bounded label: see metricsPlugin) and outcome (ok or error).',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL request duration by operation (a bounded label).',
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

/** What a request's `operation` label is made from. */
export interface LabelledRequest {
  /** The operation's name, or the one the request asked for when none was resolved. */
  operationName: string | null | undefined;
  /** The resolved operation, when the document parsed and named one. */
  operation: OperationDefinitionNode | undefined;
  schema: GraphQLSchema;
}

/** The `operation` label of a request: whatever clients send, it takes one of a bounded set of values. */
export type OperationLabeler = (request: LabelledRequest) => string;

/**
 * The router's rule: a named operation of the known clients (operations/) is labelled with its name, any other
 * name "other", an unnamed operation "anonymous".
 */
export function knownOperationLabel(knownNames: ReadonlySet<string>): OperationLabeler {
  return ({ operationName }) => (!operationName ? 'anonymous' : knownNames.has(operationName) ? operationName : 'other');
}

/**
 * The subgraphs' rule. They see the operations the router plans (named `<client's name>__<subgraph>__<n>` after a
 * name clients choose), so they label by what the schema bounds instead: the operation's type and its root field
 * (`query.me`, `query._entities`, `mutation.register`), `<type>.several` when it selects more than one, and "other"
 * for a root field the schema does not have or a request that resolved no operation.
 */
export const rootFieldLabel: OperationLabeler = ({ operation, schema }) => {
  if (!operation) return 'other';
  const rootType = schema.getRootType(operation.operation);
  const fields = new Set(operation.selectionSet.selections.map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : '…')));
  if (fields.size !== 1) return `${operation.operation}.several`;
  const [field = ''] = fields;
  return field === '__typename' || rootType?.getFields()[field] ? `${operation.operation}.${field}` : 'other';
};

/**
 * The name of the operation a request ran or meant to run: the resolved one, else the one it asked for, else the
 * one its document names (a document that failed validation resolves no operation).
 */
export function requestedOperationName({ operationName, request, document }: RequestNaming): string | undefined {
  return operationName ?? request.operationName ?? (document ? getOperationAST(document)?.name?.value : undefined);
}

interface RequestNaming {
  operationName?: string | null | undefined;
  request: { operationName?: string | null | undefined };
  document?: DocumentNode | undefined;
}

/** Request counts, durations and error codes of a GraphQL server, labelled by `labelOf` (root fields by default). */
export function metricsPlugin<TContext extends object>(
  metrics: ServiceMetrics,
  labelOf: OperationLabeler = rootFieldLabel,
): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: () => {
      const stopTimer = metrics.graphqlDuration.startTimer();
      let failed = false;
      return Promise.resolve({
        didEncounterErrors: ({ errors }) => {
          failed = true;
          for (const error of errors) metrics.graphqlErrors.inc({ code: codeOf(error) ?? 'INTERNAL_SERVER_ERROR' });
          return Promise.resolve();
        },
        willSendResponse: (requestContext) => {
          const { operation, schema } = requestContext;
          const label = labelOf({ operationName: requestedOperationName(requestContext), operation, schema });
          stopTimer({ operation: label });
          metrics.graphqlRequests.inc({ operation: label, outcome: failed ? 'error' : 'ok' });
          return Promise.resolve();
        },
      });
    },
  };
}
