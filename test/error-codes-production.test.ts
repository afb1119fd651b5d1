import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { Customer } from '../src/entities';
import { Role } from '../src/entities/enums';
import { createLogger } from '../src/logger';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

type LogLine = { level: number; msg: string; err?: { stack?: string }; code?: string };

/** The app's own logger (createLogger: its redaction and serializers), writing to an array. */
function capturedLogger() {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ env: 'production', logLevel: 'info' }, stream);
  return {
    logger,
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as LogLine),
  };
}

const INFO = 30;
const ERROR = 50;

describe('a production server', () => {
  let t: TestApp;
  let log: ReturnType<typeof capturedLogger>;
  let staffToken: string;

  beforeAll(async () => {
    log = capturedLogger();
    t = await startTestApp({ env: 'production', logger: log.logger });
    staffToken = t.tokenFor(await factories(t.orm).user({ role: Role.TELESALES }));
  });
  afterAll(() => t.close());

  test.each([
    ['FORBIDDEN', 'a role outside the field', '{ apiKeys { id } }', 'Your role may not do this'],
    ['UNAUTHENTICATED', 'no credentials', '{ me { id } }', 'Sign in first'],
  ])(
    'keeps %s (%s) with its message, logged at info without a stack',
    async (code, _why, query, message) => {
      const before = log.raw.length;
      const answer = await t.gql(
        query,
        undefined,
        code === 'FORBIDDEN' ? { token: staffToken } : 'anonymous',
      );
      expect(answer.errors?.[0]?.extensions?.code).toBe(code);
      expect(answer.errors?.[0]?.message).toBe(message);
      const lines = log.lines().slice(before);
      expect(lines.filter((line) => line.level >= ERROR)).toEqual([]);
      const refused = lines.find((line) => line.msg === 'GraphQL request refused');
      expect(refused).toMatchObject({ level: INFO, code });
      expect(JSON.stringify(refused)).not.toMatch(/stack|\n\s+at /);
    },
  );

  test('keeps RATE_LIMITED from the sign-in limiter', async () => {
    const email = `nobody-${Date.now()}@test.local`;
    let code: unknown;
    for (let attempt = 0; attempt < 10 && code !== 'RATE_LIMITED'; attempt += 1) {
      const answer = await t.gql(
        'mutation($email: String!) { login(email: $email, password: "wrong") { token } }',
        { email },
        'anonymous',
      );
      code = answer.errors?.[0]?.extensions?.code;
    }
    expect(code).toBe('RATE_LIMITED');
  });

  test('masks an unexpected error and logs it at error with its stack (a resolver, the context)', async () => {
    const broken = await startTestApp({ env: 'production', logger: log.logger });
    try {
      const before = log.raw.length;
      await broken.db.orm.close(true);
      const inResolver = await broken.gql(
        'mutation { login(email: "a@b.c", password: "x") { token } }',
        undefined,
        'anonymous',
      );
      expect(inResolver.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const resolverFailure = log
        .lines()
        .slice(before)
        .find((line) => line.msg === 'GraphQL request failed');
      expect(resolverFailure?.level).toBe(ERROR);
      expect(resolverFailure?.err?.stack).toMatch(/\n\s+at /);
      const answer = await broken.gql('{ tickets { totalCount } }');
      expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const failed = log
        .lines()
        .slice(before)
        .find((line) => line.msg === 'GraphQL context failed');
      expect(failed?.level).toBe(ERROR);
      expect(failed?.err?.stack).toMatch(/\n\s+at /);
    } finally {
      await broken.app.stop();
      await broken.bus.close();
    }
  });
});

describe('database errors in the log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const phone = '+84912345678';

  /** Real driver errors: an out-of-range date through the connection, a NUL through a flush. */
  async function driverErrors(): Promise<Error[]> {
    const errors: Error[] = [];
    try {
      await t.orm.em
        .getConnection()
        .execute('select ?::text as phone, ?::date as day', [phone, '0000-01-01']);
    } catch (error) {
      errors.push(error as Error);
    }
    try {
      const em = t.orm.em.fork();
      em.create(Customer, { fullName: `Khách\u0000${phone}`, phone });
      await em.flush();
    } catch (error) {
      errors.push(error as Error);
    }
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(`${error.message}`).toContain(phone);
    return errors;
  }

  test('carry the SQLSTATE, never the SQL, its parameters or the row', async () => {
    const log = capturedLogger();
    for (const error of await driverErrors()) {
      log.logger.error({ err: error }, 'as thrown');
      log.logger.error(
        { err: new GraphQLError(error.message, { originalError: error }) },
        'as GraphQL reports it',
      );
      log.logger.error({ err: new Error('import failed', { cause: error }) }, 'as a cause');
    }
    expect(log.raw).toHaveLength(6);
    for (const line of log.raw) {
      expect(line).not.toContain(phone);
      expect(line).not.toMatch(/select '|insert into|values \(/i);
      expect(line).toMatch(/"code":"\w{5}"/);
    }
  });
});
