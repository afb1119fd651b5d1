import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import type { Viewer } from '../auth/viewer';
import { TOPICS, type CredentialsRevokedEvent } from '../kernel/topics';
import type { EventBus } from './event-bus';
import { VIEWER_RECHECK_MS } from './scoped-subscription';

/** Closes a socket whose unsent data stays above the limit (see docs/limits-and-security.md). */
export const SLOW_CONSUMER_CLOSE_CODE = 4011;

/** ws's readyState of an open socket. */
const OPEN = 1;

/** What the fan-out needs of a `ws` socket. */
export type SubscriberSocket = {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code: number, reason: string): void;
};

/**
 * A socket's viewer as the fan-out keeps it for the socket's subscribes: read
 * once at connection_init, re-read with the shared members' viewers every
 * VIEWER_RECHECK_MS, and marked ended by a revocation broadcast, so a
 * subscribe reads nothing from the database.
 */
export type SocketSession = { viewer: Viewer; ended: boolean };

/** One graphql-ws subscription waiting for its events. */
export type Subscriber = {
  socket: SubscriberSocket;
  /** graphql-ws's id of the subscription on its socket: each message names it. */
  id: string;
  viewer: Viewer;
  /** The socket's session: one revoked while this subscriber was joining ends it at once. */
  session?: SocketSession;
  /** Called once when the subscriber leaves, however its subscription ends. */
  onLeave: () => void;
};

export type Delivery = ExecutionResult | FormattedExecutionResult;

/** An execution started for a group: its results, and how each becomes what clients see. */
export type Execution = {
  results: AsyncIterator<ExecutionResult>;
  /** Formats (and reports) one result; called once per result, not per subscriber. */
  finish: (result: ExecutionResult) => Promise<Delivery>;
};

/**
 * How a group's execution starts. `listeners` counts the bus subscriptions
 * it holds (see `FanOut.subscriptionCount`). A result instead of an execution
 * (a refused subscribe) is answered to every subscriber that waited for it.
 */
export type StartExecution = (listeners: ListenerCount) => Promise<Execution | ExecutionResult>;

export type ListenerCount = { open: number };

export type FanOutStats = {
  /** One per event executed for a group, whatever its number of subscribers. */
  onExecution: (operation: string) => void;
  onDeliveries: (count: number) => void;
  onSlowConsumer: () => void;
};

export type Identity = string;

/** `user:<id>` or `key:<id>`: whose credentials a subscriber holds. */
export const identityOf = (viewer: Viewer): Identity =>
  viewer.kind === 'user' ? `user:${viewer.id}` : `key:${viewer.apiKeyId}`;

const revokedIdentity = (event: CredentialsRevokedEvent): Identity | null =>
  event.userId ? `user:${event.userId}` : event.apiKeyId ? `key:${event.apiKeyId}` : null;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * What graphql-ws iterates for one subscriber: it never yields (the group
 * writes the subscriber's messages itself), it completes when the group's
 * stream ends and fails with the errors graphql-ws then sends as an `error`
 * message; `return()` (the client's `complete`, a closed socket) leaves.
 */
class Member implements AsyncIterableIterator<never> {
  /** The message's framing before the payload: the payload is serialized once per group. */
  readonly prefix: string;
  private pending: {
    resolve: (r: IteratorResult<never>) => void;
    reject: (e: unknown) => void;
  } | null = null;
  private outcome: { error: Error | undefined } | null = null;

  constructor(
    readonly subscriber: Subscriber,
    readonly group: Group,
    private readonly leave: (member: Member) => void,
  ) {
    this.prefix = `{"id":${JSON.stringify(subscriber.id)},"type":"next","payload":`;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<never>> {
    const outcome = this.outcome;
    if (outcome)
      return outcome.error === undefined ? Promise.resolve(DONE) : Promise.reject(outcome.error);
    return new Promise((resolve, reject) => (this.pending = { resolve, reject }));
  }

  async return(): Promise<IteratorResult<never>> {
    this.end();
    return DONE;
  }

  async throw(): Promise<IteratorResult<never>> {
    this.end();
    return DONE;
  }

  /** Ends the subscription: completed, or failed with `error`. */
  end(error?: Error): void {
    if (this.outcome) return;
    this.outcome = { error };
    this.leave(this);
    this.subscriber.onLeave();
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    if (error === undefined) pending.resolve(DONE);
    else pending.reject(error);
  }
}

class Group {
  readonly members = new Set<Member>();
  readonly listeners: ListenerCount = { open: 0 };
  results: AsyncIterator<ExecutionResult> | null = null;
  closed = false;

  constructor(
    readonly key: string,
    /** Shared groups run as a viewer class: the fan-out checks each member's credentials. */
    readonly shared: boolean,
    readonly classKey: string,
    readonly operation: string,
  ) {}
}

/**
 * Execute once, send many: subscribers of the same operation, variables and
 * viewer class (see `scopeClassOf`) join one group; the group's execution
 * runs the subscription once, as a viewer of that class, so the field's own
 * scope check still decides every row; each result is formatted and
 * serialized once and written to each member's socket framed with its id.
 *
 * Writes never wait for a socket: one whose unsent data exceeds
 * `maxBufferedBytes` is closed with SLOW_CONSUMER_CLOSE_CODE, so a slow
 * client holds at most that much memory and never slows the others.
 *
 * What a shared execution cannot know per member is checked here per member:
 * a revocation broadcast ends that member's subscription at once, and each
 * member's viewer is re-read every few seconds (gone: UNAUTHENTICATED; now of
 * another class: FORBIDDEN, subscribe again).
 */
export class FanOut {
  private readonly groups = new Map<string, Group>();
  private readonly starting = new Map<string, Promise<Group | ExecutionResult>>();
  /** Members of shared groups by credentials, for revocations and viewer re-reads. */
  private readonly watched = new Map<Identity, Set<Member>>();
  /** Sockets' sessions by credentials, for the same. */
  private readonly sessions = new Map<Identity, Set<SocketSession>>();
  private revocations: AsyncIterator<unknown> | null = null;
  private recheck: NodeJS.Timeout | null = null;
  private rechecking = false;
  private soloKeys = 0;

  constructor(
    private readonly options: {
      bus: EventBus;
      maxBufferedBytes: number;
      /** The viewer as it stands now; null when the user is deactivated or the key revoked. */
      refreshViewer: (viewer: Viewer) => Promise<Viewer | null>;
      scopeClassOf: (viewer: Viewer) => string;
      stats: FanOutStats;
      onError: (error: unknown) => void;
    },
  ) {}

  get groupCount(): number {
    return this.groups.size;
  }

  get memberCount(): number {
    let members = 0;
    for (const group of this.groups.values()) members += group.members.size;
    return members;
  }

  /**
   * Bus subscriptions to add to the bus's own count so it reads as if each
   * subscriber had its own execution: a scoped stream holds its events and a
   * revocation listener, which a shared execution holds once for everyone
   * (and the revocation listener not at all: the fan-out's one does it).
   */
  subscriptionCount(): number {
    let extra = 0;
    for (const group of this.groups.values()) {
      if (!group.shared) continue;
      extra += group.members.size * (group.listeners.open + 1) - group.listeners.open;
    }
    // The fan-out's own revocation listener never counts, even when only sockets hold it.
    return extra - (this.revocations ? 1 : 0);
  }

  /** Keeps `session` current until `unwatchSession` (the socket closed). */
  watchSession(session: SocketSession): void {
    addTo(this.sessions, identityOf(session.viewer), session);
    this.startWatching();
  }

  unwatchSession(session: SocketSession): void {
    removeFrom(this.sessions, identityOf(session.viewer), session);
    this.stopWatchingWhenIdle();
  }

  /**
   * Adds a subscriber to the group of `key` (null: a group of its own),
   * starting the group's execution if it has none.
   */
  async join(
    subscriber: Subscriber,
    share: { key: string; classKey: string } | null,
    operation: string,
    start: StartExecution,
  ): Promise<AsyncIterableIterator<never> | ExecutionResult> {
    const key = share?.key ?? `solo:${(this.soloKeys += 1)}`;
    let group = this.groups.get(key);
    if (!group) {
      let pending = this.starting.get(key);
      if (!pending) {
        pending = this.start(
          new Group(key, share !== null, share?.classKey ?? '', operation),
          start,
        );
        this.starting.set(key, pending);
        void pending.finally(() => this.starting.delete(key));
      }
      const started = await pending;
      if (!(started instanceof Group)) {
        subscriber.onLeave();
        return started;
      }
      // Everyone left while it started: its execution is stopping, start another.
      if (started.closed) return this.join(subscriber, share, operation, start);
      group = started;
    }
    const member = new Member(subscriber, group, (left) => this.leave(left));
    group.members.add(member);
    if (group.shared) this.watch(member);
    if (subscriber.session?.ended) member.end(sessionEndedError());
    return member;
  }

  private async start(group: Group, start: StartExecution): Promise<Group | ExecutionResult> {
    const execution = await start(group.listeners);
    if (!('results' in execution)) return execution;
    group.results = execution.results;
    this.groups.set(group.key, group);
    void this.pump(group, execution);
    return group;
  }

  private async pump(group: Group, execution: Execution): Promise<void> {
    const { maxBufferedBytes, stats } = this.options;
    try {
      for (;;) {
        const next = await execution.results.next();
        if (next.done) break;
        if (group.members.size === 0) continue;
        stats.onExecution(group.operation);
        const json = JSON.stringify(await execution.finish(next.value));
        let delivered = 0;
        for (const member of group.members) {
          const { socket } = member.subscriber;
          if (socket.readyState !== OPEN) continue;
          if (socket.bufferedAmount > maxBufferedBytes) {
            stats.onSlowConsumer();
            socket.close(
              SLOW_CONSUMER_CLOSE_CODE,
              `Slow consumer: more than ${maxBufferedBytes} bytes waiting to be sent`,
            );
            continue;
          }
          socket.send(member.prefix + json + '}');
          delivered += 1;
        }
        stats.onDeliveries(delivered);
      }
      for (const member of [...group.members]) member.end();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const member of [...group.members]) member.end(failure);
    } finally {
      if (this.groups.get(group.key) === group) this.groups.delete(group.key);
    }
  }

  private leave(member: Member): void {
    const { group } = member;
    group.members.delete(member);
    if (group.shared) this.unwatch(member);
    if (group.members.size > 0) return;
    // The last one out stops the execution; a later subscriber starts a new one.
    group.closed = true;
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
    void group.results?.return?.().catch((error: unknown) => this.options.onError(error));
  }

  private watch(member: Member): void {
    addTo(this.watched, identityOf(member.subscriber.viewer), member);
    this.startWatching();
  }

  private unwatch(member: Member): void {
    removeFrom(this.watched, identityOf(member.subscriber.viewer), member);
    this.stopWatchingWhenIdle();
  }

  private startWatching(): void {
    if (!this.revocations) this.listenForRevocations();
    if (!this.recheck) {
      this.recheck = setInterval(() => void this.recheckViewers(), VIEWER_RECHECK_MS);
      this.recheck.unref();
    }
  }

  private stopWatchingWhenIdle(): void {
    if (this.watched.size > 0 || this.sessions.size > 0) return;
    void this.revocations?.return?.();
    this.revocations = null;
    if (this.recheck) clearInterval(this.recheck);
    this.recheck = null;
  }

  /** Ends a socket's session: its later subscribes are refused, it is no longer re-read. */
  private endSessions(identity: Identity): void {
    for (const session of this.sessions.get(identity) ?? []) session.ended = true;
    this.sessions.delete(identity);
    this.stopWatchingWhenIdle();
  }

  private listenForRevocations(): void {
    const events = this.options.bus.subscribe(TOPICS.credentialsRevoked);
    const revocations = events[Symbol.asyncIterator]();
    this.revocations = revocations;
    void (async () => {
      for (let next = await revocations.next(); !next.done; next = await revocations.next()) {
        const identity = revokedIdentity(next.value as CredentialsRevokedEvent);
        if (!identity) continue;
        this.endSessions(identity);
        for (const member of [...(this.watched.get(identity) ?? [])])
          member.end(sessionEndedError());
      }
    })().catch((error: unknown) => this.options.onError(error));
  }

  private async recheckViewers(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      // One read per user or key, for its shared members and its sockets together.
      const identities = new Set([...this.watched.keys(), ...this.sessions.keys()]);
      for (const identity of identities) {
        const [firstMember] = this.watched.get(identity) ?? [];
        const [firstSession] = this.sessions.get(identity) ?? [];
        const known = firstMember?.subscriber.viewer ?? firstSession?.viewer;
        if (!known) continue;
        const current = await this.options.refreshViewer(known);
        if (!current) this.endSessions(identity);
        else for (const open of this.sessions.get(identity) ?? []) open.viewer = current;
        for (const member of [...(this.watched.get(identity) ?? [])]) {
          if (!current) member.end(sessionEndedError());
          else if (this.options.scopeClassOf(current) !== member.group.classKey) {
            member.end(
              new GraphQLError('Your access changed: subscribe again', {
                extensions: { code: 'FORBIDDEN' },
              }),
            );
          } else member.subscriber.viewer = current;
        }
      }
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.rechecking = false;
    }
  }
}

function addTo<T>(map: Map<Identity, Set<T>>, identity: Identity, value: T): void {
  let values = map.get(identity);
  if (!values) {
    values = new Set();
    map.set(identity, values);
  }
  values.add(value);
}

function removeFrom<T>(map: Map<Identity, Set<T>>, identity: Identity, value: T): void {
  const values = map.get(identity);
  values?.delete(value);
  if (values?.size === 0) map.delete(identity);
}

/** What a subscription or operation of a deactivated user or revoked key ends with. */
export const sessionEndedError = (): GraphQLError =>
  new GraphQLError('The session ended (user deactivated or key revoked)', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
