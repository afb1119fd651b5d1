import type { EntityManager } from '@mikro-orm/postgresql';
import { refreshViewer } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import { DomainError } from '../services/errors';
import type { EventBus } from './event-bus';

export const TOPICS = {
  ticketChanged: 'TICKET_CHANGED',
  orderChanged: 'ORDER_CHANGED',
  credentialsRevoked: 'CREDENTIALS_REVOKED',
} as const;

/** A user deactivated or an API key revoked: their open streams end at once. */
export type CredentialsRevokedEvent = { userId?: string; apiKeyId?: string };

const revokes = (event: CredentialsRevokedEvent, viewer: Viewer): boolean =>
  viewer.kind === 'user' ? event.userId === viewer.id : event.apiKeyId === viewer.apiKeyId;

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
  const revocations = bus.subscribe(TOPICS.credentialsRevoked)[Symbol.asyncIterator]();
  let viewer = options.viewer;
  // Both streams are read concurrently; a pending read survives across next() calls.
  let pendingEvent: Promise<IteratorResult<unknown>> | undefined;
  let pendingRevocation: Promise<IteratorResult<unknown>> | undefined;
  const close = async () => {
    await Promise.all([source.return?.(), revocations.return?.()]);
  };
  const ended = async (): Promise<never> => {
    await close();
    throw new DomainError('UNAUTHENTICATED', 'The session ended (user deactivated or key revoked)');
  };
  const iterator: AsyncIterator<Row> = {
    async next() {
      for (;;) {
        pendingEvent ??= source.next();
        pendingRevocation ??= revocations.next();
        const winner = await Promise.race([
          pendingEvent.then((result) => ({ kind: 'event' as const, result })),
          pendingRevocation.then((result) => ({ kind: 'revocation' as const, result })),
        ]);
        if (winner.kind === 'revocation') {
          pendingRevocation = undefined;
          if (
            !winner.result.done &&
            revokes(winner.result.value as CredentialsRevokedEvent, viewer)
          ) {
            return ended();
          }
          continue;
        }
        pendingEvent = undefined;
        const event = winner.result;
        if (event.done) return { done: true, value: undefined };
        const em = options.em.fork({ clear: true });
        const current = await refreshViewer(em, viewer);
        if (!current) return ended();
        viewer = current;
        const row = await options.load(em, viewer, event.value as Payload);
        if (row) {
          options.onEvent?.(em, viewer);
          return { done: false, value: row };
        }
      }
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
