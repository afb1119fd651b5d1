import { Kind, type OperationDefinitionNode } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SqlStatementCounter } from './db/orm-config';
import type { Jobs } from './jobs/boss';
import type { EventBus } from './realtime/event-bus';

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * The `operation` label: the operation's root field when it selects one
 * (`tickets`, `createTicket`), `multiple` when it selects several, and
 * `invalid` when it never got past validation. The client's operationName
 * is never a label: anyone could mint a new series per request, while root
 * fields are bounded by the schema.
 */
export function operationLabel(operation: OperationDefinitionNode | null | undefined): string {
  if (!operation) return 'invalid';
  const roots = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return 'multiple';
    roots.add(selection.name.value);
  }
  return roots.size === 1 ? [...roots][0]! : 'multiple';
}

/** One registry per app instance, so tests can run several servers in one process. */
export function createMetrics(sources: {
  bus: EventBus;
  sqlStatements: SqlStatementCounter;
  jobs?: Jobs;
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const graphqlOperations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by root field, type and outcome',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by root field and type',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'event_bus_subscriptions',
    help: 'Event bus subscriptions open in this process',
    labelNames: ['bus'] as const,
    registers: [registry],
    collect() {
      this.set({ bus: sources.bus.kind }, sources.bus.activeSubscriptions);
    },
  });
  new Counter({
    name: 'db_sql_statements_total',
    help: 'SQL statements sent by the ORM',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.sqlStatements.count);
    },
  });
  const jobs = sources.jobs;
  if (jobs) {
    new Gauge({
      name: 'job_queue_waiting',
      help: 'Jobs waiting per queue',
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        const sizes = await jobs.queueSizes();
        for (const [queue, size] of Object.entries(sizes)) this.set({ queue }, size);
      },
    });
  }
  return { registry, httpRequests, graphqlOperations, graphqlDuration };
}
