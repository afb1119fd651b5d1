import { randomUUID } from 'node:crypto';
import type * as password from '../src/auth/password';
import { hashPassword, verifyPassword } from '../src/auth/password';
import { AuditLog } from '../src/entities';
import { factories } from './support/factories';
import { login, startTestApp, type TestApp } from './support/test-app';

// Counts the password checks the server runs (the real check still answers).
jest.mock('../src/auth/password', () => {
  const actual = jest.requireActual<typeof password>('../src/auth/password');
  return { ...actual, verifyPassword: jest.fn(actual.verifyPassword) };
});

const redisUrl = process.env.REDIS_URL;
const verifyCalls = verifyPassword as jest.MockedFunction<typeof verifyPassword>;

describe.each([
  ['memory', undefined],
  ['Redis', redisUrl],
] as const)('login limiter (%s counters)', (kind, url) => {
  const run = kind === 'Redis' && !url ? test.skip : test;
  let t: TestApp;
  beforeAll(async () => {
    if (kind === 'Redis' && !url) return;
    t = await startTestApp({ redisUrl: url });
  });
  afterAll(() => t?.close());

  run(
    '15 wrong passwords sent at once for one e-mail: 5 are checked, 10 refused unchecked',
    async () => {
      // Unique per run: Redis counters outlive the test's database.
      const email = `parallel-${randomUUID()}@test.local`;
      const user = await factories(t.orm).user({
        email,
        passwordHash: await hashPassword('correct horse'),
      });
      verifyCalls.mockClear();
      const answers = await Promise.all(
        Array.from({ length: 15 }, (_, i) => login(t, email, `guess ${i}`)),
      );
      const codes = answers.map((res) => res.body.errors?.[0]?.extensions?.code as string);
      expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(5);
      expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(10);
      expect(verifyCalls).toHaveBeenCalledTimes(5);
      const em = t.orm.em.fork();
      expect(await em.count(AuditLog, { action: 'login_failed', entityId: user.id })).toBe(5);
      // The right password is refused too until the window ends.
      const after = await login(t, email, 'correct horse');
      expect(after.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    },
  );

  run(
    'a successful sign-in gives its attempt back: failures, then success, then failures again',
    async () => {
      const email = `refund-${randomUUID()}@test.local`;
      await factories(t.orm).user({ email, passwordHash: await hashPassword('correct horse') });
      for (let i = 0; i < 4; i += 1)
        expect((await login(t, email, `guess ${i}`)).body.errors[0].extensions.code).toBe(
          'UNAUTHENTICATED',
        );
      expect((await login(t, email, 'correct horse')).body.errors).toBeUndefined();
      for (let i = 0; i < 5; i += 1)
        expect((await login(t, email, `again ${i}`)).body.errors[0].extensions.code).toBe(
          'UNAUTHENTICATED',
        );
      expect((await login(t, email, 'correct horse')).body.errors[0].extensions.code).toBe(
        'RATE_LIMITED',
      );
    },
  );
});
