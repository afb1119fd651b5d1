import { createClient, type Client } from 'graphql-ws';
import { GRAPHQL_WS_URL } from '../shared/graphql-client';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'signed-out';

type LiveSubscription<T> = {
  query: string;
  /** Read at every (re)subscription: a resumable stream passes its latest cursor here. */
  variables: () => Record<string, unknown>;
  onData: (data: T) => void;
  /** After a reconnect, for what a stream without a cursor may have missed. */
  onResubscribed?: () => void;
};

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 5000];
/** A ping every KEEP_ALIVE_MS; no pong within PONG_TIMEOUT_MS means the network went away. */
const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;

/**
 * graphql-ws retries a dropped socket by re-sending each subscription with
 * the variables it started with, which would replay a resumed stream from its
 * first cursor. Instead the client gives up on a drop and every subscription
 * starts again here, with what `variables()` says now.
 */
export class LiveConnection {
  private readonly client: Client;
  private state: LiveState = 'connecting';
  private stopped = false;
  private readonly stops: (() => void)[] = [];

  constructor(
    token: string,
    private readonly onState: (state: LiveState) => void,
  ) {
    // A dropped network often closes nothing: the socket just goes quiet. An
    // unanswered ping ends it, so the subscriptions restart instead of waiting.
    let pongOverdue: ReturnType<typeof setTimeout> | undefined;
    this.client = createClient({
      url: GRAPHQL_WS_URL,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
      keepAlive: KEEP_ALIVE_MS,
      on: {
        connected: () => this.setState('live'),
        ping: (received) => {
          if (!received) pongOverdue = setTimeout(() => this.client.terminate(), PONG_TIMEOUT_MS);
        },
        pong: (received) => {
          if (received) clearTimeout(pongOverdue);
        },
        closed: () => {
          clearTimeout(pongOverdue);
          if (!this.stopped) this.setState('reconnecting');
        },
      },
    });
  }

  subscribe<T>(subscription: LiveSubscription<T>): void {
    let attempt = 0;
    let dispose: (() => void) | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = (resumed: boolean) => {
      if (this.stopped) return;
      dispose = this.client.subscribe<T>(
        { query: subscription.query, variables: subscription.variables() },
        {
          next: (result) => {
            attempt = 0;
            if (result.data) subscription.onData(result.data);
          },
          error: (error: unknown) => (isAuthFailure(error) ? this.signOut() : retry()),
          complete: () => retry(),
        },
      );
      if (resumed) subscription.onResubscribed?.();
    };
    const retry = () => {
      if (this.stopped) return;
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 5000;
      attempt += 1;
      timer = setTimeout(() => start(true), delay);
    };
    start(false);
    this.stops.push(() => {
      clearTimeout(timer);
      dispose?.();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.stops) stop();
    void this.client.dispose();
  }

  private signOut(): void {
    this.stop();
    this.onState('signed-out');
  }

  private setState(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    this.onState(state);
  }
}

/** The socket was refused (4403) or the session ended: retrying cannot help. */
function isAuthFailure(error: unknown): boolean {
  if (Array.isArray(error)) {
    return error.some(
      (item: { extensions?: { code?: string } }) => item.extensions?.code === 'UNAUTHENTICATED',
    );
  }
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 4403;
}
