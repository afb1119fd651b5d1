import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export type Received = {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/** A graphql-ws client that records what one subscription delivers. */
export function subscriber(url: string, connectionParams: Record<string, unknown>) {
  let closeCode: number | undefined;
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams,
    on: { closed: (event) => (closeCode = (event as { code?: number }).code) },
  });
  const subscribe = (query: string, variables?: Record<string, unknown>) => {
    const events: Received[] = [];
    let error: unknown;
    let completed = false;
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => events.push(value as Received),
        error: (e) => (error = e),
        complete: () => (completed = true),
      },
    );
    return {
      events,
      get error() {
        return error;
      },
      get completed() {
        return completed;
      },
      dispose,
    };
  };
  return {
    client,
    subscribe,
    get closeCode() {
      return closeCode;
    },
  };
}

export async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until `count` more scoped subscriptions are listening than at
 * `baseline`. Each listens to its own topic and to credential revocations,
 * so it counts twice on the bus.
 */
export function waitForSubscriptions(
  bus: { readonly activeSubscriptions: number },
  baseline: number,
  count: number,
): Promise<void> {
  return waitFor(() => bus.activeSubscriptions >= baseline + 2 * count);
}

/**
 * One query, mutation or subscription over an open graphql-ws client, as its
 * final answer: the last result, or the GraphQL errors it was refused with
 * (a socket failure rejects).
 */
export function answerOverSocket(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Received> {
  return new Promise((resolve, reject) => {
    let result: Received = {};
    client.subscribe(
      { query, variables },
      {
        next: (value) => (result = value as Received),
        error: (error) =>
          Array.isArray(error)
            ? resolve({ errors: error as Received['errors'] })
            : reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(result),
      },
    );
  });
}
