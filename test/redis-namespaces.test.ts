import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { hashPassword } from '../src/auth/password';
import { defaultRedisPrefix } from '../src/config';
import { connectRedis } from '../src/redis';
import { createEventBus } from '../src/realtime/event-bus';
import { factories } from './support/factories';
import { login, startTestApp, type TestApp } from './support/test-app';

const redisUrl = process.env.REDIS_URL;

/** Two deployments (each its own database, so its own default prefix) on one Redis. */
(redisUrl ? describe : describe.skip)('two deployments sharing one Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ redisUrl });
    b = await startTestApp({ redisUrl });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  test("one deployment's failed sign-ins do not limit the other's, and its counters carry its prefix", async () => {
    const email = `shared-${randomUUID()}@test.local`;
    const passwordHash = await hashPassword('correct horse');
    await factories(a.orm).user({ email, passwordHash });
    await factories(b.orm).user({ email, passwordHash });
    for (let i = 0; i < 5; i += 1)
      expect((await login(a, email, `guess ${i}`)).body.errors[0].extensions.code).toBe(
        'UNAUTHENTICATED',
      );
    expect((await login(a, email, 'correct horse')).body.errors[0].extensions.code).toBe(
      'RATE_LIMITED',
    );
    const onB = await login(b, email, 'correct horse');
    expect(onB.body.errors).toBeUndefined();
    expect(onB.body.data.login.token).toEqual(expect.any(String));

    const redis = connectRedis(redisUrl!, { lazyConnect: true });
    try {
      await redis.connect();
      const keys = await redis.keys(`*${email}*`);
      expect(keys).toEqual([`${defaultRedisPrefix(a.database.url)}login-email:${email}`]);
    } finally {
      redis.disconnect();
    }
  });

  test("an event published by one deployment reaches its own other instances, never the other deployment's", async () => {
    const topic = `NAMESPACE_TEST_${randomUUID()}`;
    // A second instance of deployment B, on B's prefix.
    const b2 = createEventBus(
      { redisUrl, redisPrefix: defaultRedisPrefix(b.database.url) },
      pino({ level: 'silent' }),
    );
    const received: unknown[] = [];
    const iterator = b.bus.subscribe(topic)[Symbol.asyncIterator]();
    void (async () => {
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        received.push(next.value);
    })();
    try {
      // Until B's SUBSCRIBE has gone through nothing arrives: both publish until B hears its own.
      for (let i = 0; i < 100 && received.length === 0; i += 1) {
        a.bus.publish(topic, { from: 'a' });
        b2.publish(topic, { from: 'b' });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      a.bus.publish(topic, { from: 'a' });
      b2.publish(topic, { from: 'b' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.length).toBeGreaterThan(0);
      expect(received.every((event) => (event as { from: string }).from === 'b')).toBe(true);
    } finally {
      await iterator.return?.();
      await b2.close();
    }
  });
});
