import { ConfigError, loadCliConfig, loadConfig, redactUrl } from '../src/config';
import { DEV_CREDENTIALS_KEY } from '../src/db/credential-cipher';

test('defaults give a zero-config development start on the embedded database', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    env: 'development',
    port: 4000,
    databaseUrl: undefined,
    redisUrl: undefined,
    jobsEnabled: true,
  });
  expect(config.dataDir).toMatch(/\.data$/);
});

test('PORT, DATABASE_URL and REDIS_URL are taken when set', () => {
  const config = loadConfig({
    PORT: '8080',
    DATABASE_URL: 'postgres://u:p@db:5432/crm',
    REDIS_URL: 'redis://cache:6379',
  });
  expect(config).toMatchObject({
    port: 8080,
    databaseUrl: 'postgres://u:p@db:5432/crm',
    redisUrl: 'redis://cache:6379',
  });
});

test('REDIS_PREFIX defaults to crm:<database name>:, so deployments sharing a Redis stay apart', () => {
  expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/shop_a' }).redisPrefix).toBe(
    'crm:shop_a:',
  );
  expect(loadConfig({}).redisPrefix).toBe('crm:crm:');
  expect(
    loadConfig({ DATABASE_URL: 'postgres://db/crm', REDIS_PREFIX: 'tenant-b:' }).redisPrefix,
  ).toBe('tenant-b:');
  expect(() => loadConfig({ REDIS_PREFIX: 'has space' })).toThrow(/REDIS_PREFIX/);
});

test('every bad variable is named in one error', () => {
  let error: unknown;
  try {
    loadConfig({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      NODE_ENV: 'staging',
      REDIS_URL: 'nope',
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems.join('\n');
  for (const name of ['PORT', 'DATABASE_URL', 'NODE_ENV', 'REDIS_URL'])
    expect(problems).toContain(name);
});

test('empty variables count as unset', () => {
  expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({
    databaseUrl: undefined,
    port: 4000,
  });
});

test('passwords never reach a log line', () => {
  expect(redactUrl('postgres://crm:secret@db:5432/crm')).toBe('postgres://crm:***@db:5432/crm');
});

test('production refuses to start without JWT_SECRET, and short secrets anywhere', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required/);
  expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  expect(
    loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), CREDENTIALS_KEY: KEY })
      .jwtSecret,
  ).toBe('x'.repeat(32));
});

const KEY = Buffer.alloc(32, 7).toString('base64');

test('production refuses to start without CREDENTIALS_KEY; a key must be 32 bytes', () => {
  expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
    /CREDENTIALS_KEY: required/,
  );
  expect(() => loadConfig({ CREDENTIALS_KEY: 'short' })).toThrow(/CREDENTIALS_KEY/);
  expect(() => loadConfig({ CREDENTIALS_PREVIOUS_KEYS: `${KEY},nope` })).toThrow(
    /CREDENTIALS_PREVIOUS_KEYS/,
  );
  expect(loadConfig({ CREDENTIALS_KEY: 'ab'.repeat(32) }).credentialsKey.current).toBe(
    'ab'.repeat(32),
  );
  // Outside production the documented development key stands in.
  expect(loadConfig({}).credentialsKey.current).toBe(DEV_CREDENTIALS_KEY);
});

test('the bot: AI off by default, timeouts and budget default to 5 s, and a provider needs a model', () => {
  expect(loadConfig({}).bot).toEqual({
    ai: undefined,
    aiTimeoutMs: 5_000,
    aiMinConfidence: 0.6,
    budgetMs: 5_000,
    breaker: { failureThreshold: 3, cooldownMs: 30_000 },
  });
  expect(
    loadConfig({ AI_BASE_URL: 'https://ai.example/v1', AI_MODEL: 'm', AI_API_KEY: 'k' }).bot.ai,
  ).toEqual({ baseUrl: 'https://ai.example/v1', apiKey: 'k', model: 'm' });
  expect(() => loadConfig({ AI_BASE_URL: 'https://ai.example/v1' })).toThrow(/AI_MODEL/);
  expect(() => loadConfig({ AI_MIN_CONFIDENCE: '2', BOT_BUDGET_MS: 'x' })).toThrow(
    /AI_MIN_CONFIDENCE[\s\S]*BOT_BUDGET_MS/,
  );
});

test('GraphiQL is on outside production, off in production unless GRAPHIQL=true', () => {
  const secret = {
    JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
    CREDENTIALS_KEY: DEV_CREDENTIALS_KEY,
  };
  expect(loadConfig({}).graphiql).toBe(true);
  expect(loadConfig({ GRAPHIQL: 'false' }).graphiql).toBe(false);
  expect(loadConfig({ NODE_ENV: 'production', ...secret }).graphiql).toBe(false);
  expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true', ...secret }).graphiql).toBe(true);
});

test('the operator commands: the local API by default, a token or e-mail and password to sign in', () => {
  expect(loadCliConfig({ CRM_TOKEN: 't0k' })).toEqual({
    apiUrl: 'http://127.0.0.1:4000',
    credentials: { token: 't0k' },
  });
  expect(
    loadCliConfig({ API_URL: 'https://crm.example.vn/', CRM_EMAIL: 'it@x.vn', CRM_PASSWORD: 'pw' }),
  ).toEqual({
    apiUrl: 'https://crm.example.vn',
    credentials: { email: 'it@x.vn', password: 'pw' },
  });
  expect(loadCliConfig({ PORT: '8080', CRM_TOKEN: 't' }).apiUrl).toBe('http://127.0.0.1:8080');
  expect(() => loadCliConfig({ CRM_EMAIL: 'it@x.vn' })).toThrow(/CRM_TOKEN/);
  expect(() => loadCliConfig({ API_URL: 'ftp://x', CRM_TOKEN: 't' })).toThrow(ConfigError);
});

test('export and import limits: defaults, values taken, bad values named', () => {
  expect(loadConfig({})).toMatchObject({
    exports: { maxConcurrent: 4, perViewer: 2, idleTimeoutMs: 30_000 },
    imports: { maxBytes: 100 * 1024 * 1024 },
  });
  expect(
    loadConfig({
      EXPORTS_MAX_CONCURRENT: '8',
      EXPORTS_PER_VIEWER: '3',
      EXPORT_IDLE_TIMEOUT_MS: '5000',
      IMPORT_MAX_BYTES: '1048576',
    }),
  ).toMatchObject({
    exports: { maxConcurrent: 8, perViewer: 3, idleTimeoutMs: 5_000 },
    imports: { maxBytes: 1_048_576 },
  });
  let error: unknown;
  try {
    loadConfig({ EXPORTS_PER_VIEWER: '0', EXPORT_IDLE_TIMEOUT_MS: 'soon', IMPORT_MAX_BYTES: '-1' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems.join('\n');
  for (const name of ['EXPORTS_PER_VIEWER', 'EXPORT_IDLE_TIMEOUT_MS', 'IMPORT_MAX_BYTES']) {
    expect(problems).toContain(name);
  }
});

describe('the operations surface', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
    CREDENTIALS_KEY: DEV_CREDENTIALS_KEY,
  };

  test('introspection is on outside production, off in production unless GRAPHQL_INTROSPECTION=true', () => {
    expect(loadConfig({}).graphqlIntrospection).toBe(true);
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).graphqlIntrospection).toBe(false);
    expect(loadConfig(production).graphqlIntrospection).toBe(false);
    expect(loadConfig({ ...production, GRAPHQL_INTROSPECTION: 'true' }).graphqlIntrospection).toBe(
      true,
    );
  });

  test('CORS: any origin while developing, none in production, else the listed ones', () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig(production).corsOrigins).toEqual([]);
    expect(
      loadConfig({
        ...production,
        CORS_ORIGINS: 'https://crm.example.vn, http://localhost:5173',
      }).corsOrigins,
    ).toEqual(['https://crm.example.vn', 'http://localhost:5173']);
    expect(loadConfig({ ...production, CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(() => loadConfig({ CORS_ORIGINS: 'crm.example.vn' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://crm.example.vn/app' })).toThrow(
      /CORS_ORIGINS/,
    );
  });

  test('/metrics: neither token nor port by default; a short token or the API port is refused', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined });
    expect(
      loadConfig({ METRICS_TOKEN: 'a-metrics-token-long-enough', METRICS_PORT: '9464' }).metrics,
    ).toEqual({ token: 'a-metrics-token-long-enough', port: 9464 });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ METRICS_PORT: '4000' })).toThrow(/METRICS_PORT: must differ/);
  });

  test('socket caps default to 50 sockets per IP and 100 operations per socket', () => {
    expect(loadConfig({}).websocket).toEqual({ maxSocketsPerIp: 50, maxOperationsPerSocket: 100 });
    expect(
      loadConfig({ WS_MAX_SOCKETS_PER_IP: '5', WS_MAX_OPERATIONS_PER_SOCKET: '7' }).websocket,
    ).toEqual({ maxSocketsPerIp: 5, maxOperationsPerSocket: 7 });
    expect(() => loadConfig({ WS_MAX_SOCKETS_PER_IP: '0' })).toThrow(/WS_MAX_SOCKETS_PER_IP/);
  });
});
