import type { EntityManager } from '@mikro-orm/postgresql';
import { refreshViewer } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import { DomainError } from '../services/errors';
import type { EventBus } from './event-bus';

export const TOPICS = {
  ticketChanged: 'TICKET_CHANGED',
  orderChanged: 'ORDER_CHANGED',
} as const;

export type TicketChangedEvent = { ticketId: string };
export type OrderChangedEvent = { orderId: string };

/**
 * A subscription's event stream, checked event by event: graphql-ws builds
 * the context once per operation, so the viewer is re-read for every event
 * (a deactivated user or a revoked key ends the stream) and each row is
 * loaded within the viewer's current scope (a ticket reassigned away is no
 * longer delivered). Nothing is delivered that a query could not return.
 */
export function scopedEvents<Payload, Row>(options: {
  em: EntityManager;
  viewer: Viewer;
  bus: EventBus;
  topic: string;
  load: (em: EntityManager, viewer: Viewer, payload: Payload) => Promise<Row | null>;
  /** Called before a row is delivered, with the event's own EntityManager and fresh viewer. */
  onEvent?: (em: EntityManager, viewer: Viewer) => void;
}): AsyncIterable<Row> {
  const { bus, topic } = options;
  // Subscribe now, before the first next(), so no event published after the
  // client was told "subscribed" is missed.
  const source = bus.subscribe(topic)[Symbol.asyncIterator]();
  let viewer = options.viewer;
  const iterator: AsyncIterator<Row> = {
    async next() {
      for (;;) {
        const event = await source.next();
        if (event.done) return { done: true, value: undefined };
        const em = options.em.fork({ clear: true });
        const current = await refreshViewer(em, viewer);
        if (!current) {
          await source.return?.();
          throw new DomainError(
            'UNAUTHENTICATED',
            'The session ended (user deactivated or key revoked)',
          );
        }
        viewer = current;
        const row = await options.load(em, viewer, event.value as Payload);
        if (row) {
          options.onEvent?.(em, viewer);
          return { done: false, value: row };
        }
      }
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
