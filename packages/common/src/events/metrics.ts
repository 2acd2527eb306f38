import { Counter, type Registry } from 'prom-client';

/** Counts the domain events a consumer handled, by type and outcome (applied; duplicate: seen before; ...). */
export function handledEventsCounter(registry: Registry): Counter<'type' | 'outcome'> {
  return new Counter({
    name: 'domain_events_handled_total',
    help: 'Domain events this consumer handled, by event type and outcome.',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
}
