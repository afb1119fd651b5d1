import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { refreshViewer } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import { DomainError } from '../kernel/errors';
import type { EventBus } from './event-bus';

import { TOPICS, type CredentialsRevokedEvent } from '../kernel/topics';

const revokes = (event: CredentialsRevokedEvent, viewer: Viewer): boolean =>
  viewer.kind === 'user' ? event.userId === viewer.id : event.apiKeyId === viewer.apiKeyId;

/**
 * Viewers that stand for a class of viewers in an execution shared by
 * several subscribers (fan-out.ts): the fan-out checks each subscriber's own
 * credentials, so the stream checks only the scope.
 */
const viewerClasses = new WeakSet<Viewer>();

/** A copy of `viewer` standing for everyone of its class (see scopeClassOf). */
export function asViewerClass(viewer: Viewer): Viewer {
  const stand = { ...viewer };
  viewerClasses.add(stand);
  return stand;
}

/** How stale a subscription's view of its viewer may get; revocations end streams at once anyway. */
export const VIEWER_RECHECK_MS = 5_000;

/**
 * One load per event and process, shared by every local subscriber: both
 * buses hand the same payload object to all of a process's subscribers, so
 * it keys the cache and the entry goes away with the event.
 */
const sharedLoads = new WeakMap<object, Promise<unknown>>();

function loadOnce<Payload, Row>(
  em: EntityManager,
  payload: Payload,
  load: (em: EntityManager, payload: Payload) => Promise<Row | null>,
): Promise<Row | null> {
  if (typeof payload !== 'object' || payload === null)
    return load(em.fork({ clear: true }), payload);
  let pending = sharedLoads.get(payload) as Promise<Row | null> | undefined;
  if (!pending) {
    pending = load(em.fork({ clear: true }), payload);
    sharedLoads.set(payload, pending);
  }
  return pending;
}

/**
 * A subscription's event stream, checked event by event. graphql-ws builds
 * the context once per operation, so: the viewer is re-read from the
 * database at most every few seconds and a revocation broadcast ends the
 * stream at once (a deactivated user, a revoked key); each event's row is
 * loaded once per process and delivered only if it is within this viewer's
 * current scope (a ticket reassigned away is no longer delivered). Nothing
 * is delivered that a query could not return.
 */
export function scopedEvents<Payload, Row>(options: {
  em: EntityManager;
  viewer: Viewer;
  bus: EventBus;
  /** The events: a bus topic, or a stream of its own (which is closed with the subscription). */
  events: { topic: string } | { source: AsyncIterator<Payload> };
  /** The event's row, unscoped; shared by all subscribers of the process. */
  load: (em: EntityManager, payload: Payload) => Promise<Row | null>;
  /** The row scope as a predicate: the same rule as the SQL scope, checked in memory. */
  visible: (viewer: Viewer, row: Row, em: () => EntityManager) => boolean | Promise<boolean>;
  /** Called before a row is delivered, with the event's own EntityManager (forked on first use) and the current viewer. */
  onEvent?: (em: () => EntityManager, viewer: Viewer) => void;
  /** Told about an internal failure that ends the stream, for the log. */
  onError?: (error: unknown) => void;
}): AsyncIterable<Row> {
  const { bus, events } = options;
  // Subscribe now, before the first next(), so no event published after the
  // client was told "subscribed" is missed.
  const source =
    'source' in events ? events.source : bus.subscribe(events.topic)[Symbol.asyncIterator]();
  const checksCredentials = !viewerClasses.has(options.viewer);
  const revocations = checksCredentials
    ? bus.subscribe(TOPICS.credentialsRevoked)[Symbol.asyncIterator]()
    : null;
  let viewer = options.viewer;
  let viewerCheckedAt = performance.now();
  let revoked = false;
  /** Set while nextRow waits for an event: a revocation wakes it. */
  const waiting: { interrupt?: () => void } = {};
  // Revocations are read beside the events, so one ends a stream that is
  // waiting for its next event too. Not with a Promise.race against one
  // long-pending revocations.next(): every race leaves a reaction on that
  // promise which holds the race's result, so each event delivered stayed
  // in memory for the life of the subscription.
  if (revocations) {
    void (async () => {
      for (let next = await revocations.next(); !next.done; next = await revocations.next()) {
        if (revokes(next.value as CredentialsRevokedEvent, viewer)) {
          revoked = true;
          waiting.interrupt?.();
        }
      }
    })().catch(() => undefined);
  }
  let pendingEvent: Promise<IteratorResult<unknown>> | undefined;
  const close = async () => {
    await Promise.all([source.return?.(), revocations?.return?.()]);
  };
  // Thrown inside nextRow; next() closes the listeners for every failure.
  const ended = (): never => {
    throw new DomainError('UNAUTHENTICATED', 'The session ended (user deactivated or key revoked)');
  };
  const nextRow = async (): Promise<IteratorResult<Row>> => {
    for (;;) {
      if (revoked) return ended();
      pendingEvent ??= source.next();
      const interrupted = new Promise<null>((resolve) => (waiting.interrupt = () => resolve(null)));
      const winner = await Promise.race([pendingEvent, interrupted]);
      delete waiting.interrupt;
      if (winner === null) continue;
      pendingEvent = undefined;
      const event = winner;
      if (event.done) {
        await close();
        return { done: true, value: undefined };
      }
      // Forked when first used: most events need no database.
      let forked: EntityManager | undefined;
      const em = () => (forked ??= options.em.fork({ clear: true }));
      if (checksCredentials && performance.now() - viewerCheckedAt > VIEWER_RECHECK_MS) {
        const current = await refreshViewer(em(), viewer);
        if (!current) return ended();
        viewer = current;
        viewerCheckedAt = performance.now();
      }
      const loaded = await loadOnce(options.em, event.value as Payload, options.load);
      const row = loaded && (await options.visible(viewer, loaded, em)) ? loaded : null;
      if (row) {
        options.onEvent?.(em, viewer);
        return { done: false, value: row };
      }
    }
  };

  const iterator: AsyncIterator<Row> = {
    async next() {
      try {
        return await nextRow();
      } catch (error) {
        // graphql-ws does not call return() after a failed next(): close here,
        // and let only a client-actionable error out (nothing internal leaks).
        await close();
        if (error instanceof DomainError) {
          throw new GraphQLError(error.message, { extensions: { code: error.code } });
        }
        options.onError?.(error);
        throw new GraphQLError('Internal server error', {
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      }
    },
    async return() {
      await close();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
