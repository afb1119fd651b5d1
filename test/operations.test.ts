import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';

const redisUrl = process.env.REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  test('GET /healthz answers while the process is up', async () => {
    const res = await request(t.app.httpServer).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('GET /readyz checks the database', async () => {
    const res = await request(t.app.httpServer).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  test('GET /metrics exposes request, operation (by root field), event bus and SQL figures', async () => {
    await t.gql('query Sources { referenceData { roles { code } } }');
    const res = await request(t.app.httpServer).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(
      /graphql_operations_total\{operation="referenceData",type="query",outcome="ok"\} 1/,
    );
    expect(res.text).toMatch(
      /graphql_operation_duration_seconds_bucket\{le="[\d.]+",operation="referenceData",type="query"\}/,
    );
    expect(res.text).toMatch(/http_requests_total\{method="POST",route="\/graphql",status="200"\}/);
    expect(res.text).toMatch(/event_bus_subscriptions\{bus="in-process"\} 0/);
    expect(res.text).toMatch(/db_sql_statements_total \d+/);
  });

  test('every response carries a request id, and a sane incoming one is kept', async () => {
    const res = await request(t.app.httpServer).get('/healthz').set('x-request-id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const generated = await request(t.app.httpServer)
      .get('/healthz')
      .set('x-request-id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

test('GET /readyz answers 503 when the database is unreachable', async () => {
  const t = await startTestApp();
  try {
    await t.db.orm.close(true);
    const res = await request(t.app.httpServer).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks.database).toBe('failed');
  } finally {
    await t.app.stop();
    await t.bus.close();
  }
});

test('in production, internal errors are masked and client errors keep their message', async () => {
  const t = await startTestApp({ env: 'production' });
  try {
    const bad = await t.gql('{ tickets(first: 500) { totalCount } }');
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.message).toMatch(/first must be between/);
    await t.db.orm.close(true);
    const internal = await t.gql('{ tickets { totalCount } }');
    expect(internal.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    expect(internal.errors![0]!.message).not.toMatch(/pool|knex|connection/i);
  } finally {
    await t.app.stop();
    await t.bus.close();
  }
});

describeWithRedis('with Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ redisUrl });
  });
  afterAll(() => t.close());

  test('GET /readyz checks Redis too', async () => {
    const res = await request(t.app.httpServer).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ database: 'ok', redis: 'ok' });
  });
});
