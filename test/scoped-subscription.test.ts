import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../src/auth/viewer';
import { Role } from '../src/entities/enums';
import { createInProcessEventBus } from '../src/realtime/event-bus';
import { scopedEvents } from '../src/realtime/scoped-subscription';
import { TOPICS } from '../src/kernel/topics';

// The garbage collector on demand, for the test that events are not kept.
setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** scopedEvents forks the entity manager per event; these tests never query. */
const em = { fork: () => em } as unknown as EntityManager;
const viewer: Viewer = {
  kind: 'user',
  id: 'user-1',
  role: Role.ADMIN,
  branchIds: [],
  sessionVersion: 0,
};

type Payload = { id: number; body: number[] };

/** A source whose next event is handed over when the test says so. */
function controlledSource() {
  const waiting: ((result: IteratorResult<Payload>) => void)[] = [];
  return {
    source: {
      next: () => new Promise<IteratorResult<Payload>>((resolve) => waiting.push(resolve)),
      return: async () => ({ done: true as const, value: undefined }),
    } satisfies AsyncIterator<Payload>,
    push: (payload: Payload) => waiting.shift()?.({ done: false, value: payload }),
  };
}

const stream = (bus: ReturnType<typeof createInProcessEventBus>, source: AsyncIterator<Payload>) =>
  scopedEvents<Payload, Payload>({
    em,
    viewer,
    bus,
    events: { source },
    load: async (_em, payload) => payload,
    visible: () => true,
  })[Symbol.asyncIterator]();

describe('scopedEvents', () => {
  test('delivered events are not kept for the life of the subscription', async () => {
    const bus = createInProcessEventBus();
    const { source, push } = controlledSource();
    const events = stream(bus, source);
    const delivered: WeakRef<Payload>[] = [];
    for (let id = 0; id < 200; id += 1) {
      const next = events.next();
      await new Promise((resolve) => setImmediate(resolve));
      const payload = { id, body: Array.from({ length: 1000 }, () => id) };
      delivered.push(new WeakRef(payload));
      push(payload);
      expect((await next).value).toMatchObject({ id });
    }
    // A WeakRef holds its target until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    const kept = delivered.filter((ref) => ref.deref() !== undefined).length;
    // The last one or two may still be referenced by the stream's own locals.
    expect(kept).toBeLessThanOrEqual(2);
    await events.return?.();
  });

  test('a revocation ends a stream that is waiting for its next event', async () => {
    const bus = createInProcessEventBus();
    const { source } = controlledSource();
    const events = stream(bus, source);
    const next = events.next();
    await new Promise((resolve) => setImmediate(resolve));
    bus.publish(TOPICS.credentialsRevoked, { userId: 'someone-else' });
    bus.publish(TOPICS.credentialsRevoked, { userId: viewer.kind === 'user' ? viewer.id : '' });
    await expect(next).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
