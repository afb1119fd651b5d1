import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import request from 'supertest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from './support/test-app';

/** POSTs `count` small GraphQL requests over keep-alive connections, `parallel` at a time. */
async function postMany(
  url: string,
  count: number,
  body: (i: number) => string,
  parallel = 16,
): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const payload = body(next++);
      statuses.push(
        await new Promise<number>((resolve, reject) => {
          const req = http.request(
            `${url}/graphql`,
            {
              method: 'POST',
              agent,
              headers: {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end(payload);
        }),
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    agent.destroy();
  }
  return statuses;
}

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('/metrics', () => {
  test('stays under 100 KB after 10,000 requests with random operation names', async () => {
    const t = await startTestApp();
    try {
      const statuses = await postMany(t.httpUrl, 10_000, (i) => {
        const name = `Op_${randomBytes(24).toString('hex')}_${i}`;
        return JSON.stringify({ query: `query ${name} { __typename }`, operationName: name });
      });
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      const res = await request(t.app.httpServer).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toMatch(
        /graphql_operations_total\{operation="__typename",type="query",outcome="ok"\} 10000/,
      );
      expect(res.text).not.toMatch(/Op_/);
      expect(Buffer.byteLength(res.text)).toBeLessThan(100 * 1024);
    } finally {
      await t.close();
    }
  }, 180_000);

  test('with METRICS_TOKEN, only a request bearing it reads /metrics', async () => {
    const token = 'metrics-token-for-the-scraper';
    const t = await startTestApp({
      env: 'production',
      config: { metrics: { token, port: undefined } },
    });
    try {
      const anonymous = await request(t.app.httpServer).get('/metrics');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer');
      expect(anonymous.text).not.toMatch(/http_requests_total/);
      const wrong = await request(t.app.httpServer)
        .get('/metrics')
        .set('authorization', 'Bearer not-the-token-at-all');
      expect(wrong.status).toBe(401);
      const scraper = await request(t.app.httpServer)
        .get('/metrics')
        .set('authorization', `Bearer ${token}`);
      expect(scraper.status).toBe(200);
      expect(scraper.text).toMatch(/http_requests_total/);
    } finally {
      await t.close();
    }
  });

  test('with METRICS_PORT, /metrics is served on that port and not on the API port', async () => {
    const t = await startTestApp({ config: { metrics: { token: undefined, port: 0 } } });
    try {
      expect((await request(t.app.httpServer).get('/metrics')).status).toBe(404);
      const { port } = t.app.metricsServer!.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/http_requests_total/);
    } finally {
      await t.close();
    }
    expect(t.app.metricsServer!.listening).toBe(false);
  });

  test('in production with neither, /metrics is not served and the start-up log says so', async () => {
    const { logger, lines } = capturedLogger();
    const t = await startTestApp({ env: 'production', logger });
    try {
      expect((await request(t.app.httpServer).get('/metrics')).status).toBe(404);
      expect(lines.join('\n')).toMatch(
        /metrics: \/metrics not served \(production without METRICS_TOKEN or METRICS_PORT\)/,
      );
    } finally {
      await t.close();
    }
  });
});

describe('introspection', () => {
  const introspect = '{ __schema { queryType { name } } }';

  const overSocket = (t: TestApp) =>
    new Promise<unknown>((resolve, reject) => {
      const client = createClient({
        url: t.wsUrl,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${t.adminToken}` },
      });
      let result: unknown;
      client.subscribe(
        { query: introspect },
        {
          next: (value) => (result = value),
          error: (error) => {
            void client.dispose();
            if (Array.isArray(error)) resolve({ errors: error });
            else reject(error instanceof Error ? error : new Error(String(error)));
          },
          complete: () => {
            void client.dispose();
            resolve(result);
          },
        },
      );
    });

  test('production with GRAPHQL_INTROSPECTION=true answers it over HTTP and WebSocket', async () => {
    const t = await startTestApp({ env: 'production', config: { graphqlIntrospection: true } });
    try {
      const expected = { data: { __schema: { queryType: { name: 'Query' } } } };
      expect(await t.gql(introspect)).toEqual(expected);
      expect(await overSocket(t)).toEqual(expected);
    } finally {
      await t.close();
    }
  });

  test('production by default refuses it over HTTP and WebSocket', async () => {
    const t = await startTestApp({ env: 'production' });
    try {
      for (const answer of [await t.gql(introspect), await overSocket(t)]) {
        const { errors } = answer as { errors: { extensions: { code: string } }[] };
        expect(errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      }
    } finally {
      await t.close();
    }
  });
});

describe('CORS and security headers', () => {
  const preflight = (t: TestApp, origin: string) =>
    request(t.app.httpServer)
      .options('/graphql')
      .set('origin', origin)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type,authorization');

  test('production answers no origin unless CORS_ORIGINS lists it', async () => {
    const closed = await startTestApp({ env: 'production' });
    const listed = await startTestApp({
      env: 'production',
      config: { corsOrigins: ['https://crm.example.vn'] },
    });
    try {
      const refused = await preflight(closed, 'https://evil.example');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      const allowed = await preflight(listed, 'https://crm.example.vn');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://crm.example.vn');
      const other = await preflight(listed, 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.close();
      await listed.close();
    }
  });

  describe('on a development server', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    test('any origin may call /graphql', async () => {
      expect(
        (await preflight(t, 'http://localhost:5173')).headers['access-control-allow-origin'],
      ).toBe('*');
    });

    test('API answers carry helmet headers and a CSP that allows nothing', async () => {
      const res = await request(t.app.httpServer)
        .post('/graphql')
        .send({ query: '{ __typename }' });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
    });

    test('the web pages keep the policy they need, and their assets none of the API one', async () => {
      const page = await request(t.app.httpServer).get('/graphiql');
      if (page.status === 503) return; // web UI not built: web-ui.test.ts reports it
      expect(page.headers['content-security-policy']).toMatch(/connect-src 'self' ws:\/\//);
      const asset = /(?:src|href)="(\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
      expect(asset).toBeDefined();
      const script = await request(t.app.httpServer).get(asset!);
      expect(script.status).toBe(200);
      expect(script.headers['content-security-policy']).toBeUndefined();
      expect(script.headers['x-content-type-options']).toBe('nosniff');
    });
  });
});

describe('socket caps', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      config: { websocket: { maxSocketsPerIp: 2, maxOperationsPerSocket: 50 } },
    });
  });
  afterAll(() => t.close());

  /** Resolves with the upgrade's outcome: an open socket, or the HTTP status it was refused with. */
  const upgrade = (headers: Record<string, string> = {}) =>
    new Promise<WebSocket | number>((resolve, reject) => {
      const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws', { headers });
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('error', reject);
    });

  test('one client IP gets WS_MAX_SOCKETS_PER_IP sockets; the next upgrade is answered 429', async () => {
    const first = (await upgrade()) as WebSocket;
    const second = (await upgrade()) as WebSocket;
    expect(await upgrade()).toBe(429);
    // Behind the local reverse proxy another client has its own budget.
    const elsewhere = await upgrade({ 'x-forwarded-for': '203.0.113.7' });
    expect(elsewhere).toBeInstanceOf(WebSocket);
    const closed = new Promise((resolve) => first.once('close', resolve));
    first.close();
    await closed;
    // The server counts the socket out when its end of the connection closes, just after.
    let again = await upgrade();
    for (let tries = 0; tries < 50 && again === 429; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await upgrade();
    }
    expect(again).toBeInstanceOf(WebSocket);
    for (const socket of [second, elsewhere, again] as WebSocket[]) socket.close();
  });

  test('an operation beyond WS_MAX_OPERATIONS_PER_SOCKET is refused as RATE_LIMITED, the socket stays', async () => {
    const capped = await startTestApp({
      config: { websocket: { maxSocketsPerIp: 50, maxOperationsPerSocket: 2 } },
    });
    const client = createClient({
      url: capped.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${capped.adminToken}` },
    });
    try {
      const noop = { next: () => undefined, error: () => undefined, complete: () => undefined };
      const open = [
        client.subscribe({ query: 'subscription { channelAlert { __typename } }' }, noop),
        client.subscribe({ query: 'subscription { customerChanged { __typename } }' }, noop),
      ];
      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: 'subscription { channelAlert { __typename } }' },
          { next: () => undefined, error: resolve, complete: () => resolve('completed') },
        );
      });
      expect((refused as { extensions: { code: string } }[])[0]!.extensions.code).toBe(
        'RATE_LIMITED',
      );
      for (const dispose of open) dispose();
      const after = await new Promise<unknown>((resolve, reject) => {
        let result: unknown;
        client.subscribe(
          { query: '{ __typename }' },
          { next: (value) => (result = value), error: reject, complete: () => resolve(result) },
        );
      });
      expect(after).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await client.dispose();
      await capped.close();
    }
  });
});
