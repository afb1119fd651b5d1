import path from 'node:path';
import { z } from 'zod';
import { DEV_CREDENTIALS_KEY, parseCredentialKey } from './db/credential-cipher';

const emptyAsUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

const booleanFlag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
    .transform((value) => value === 'true' || value === '1')
    .optional(),
);

const url = (protocols: string[]) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(
        (value) => {
          try {
            return protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
        `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      )
      .optional(),
  );

const port = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));

const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());

const isCredentialKey = (value: string): boolean => {
  try {
    parseCredentialKey(value);
    return true;
  } catch {
    return false;
  }
};
const KEY_MESSAGE = 'expected 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)';

/** `scheme://host[:port]` and nothing more: what a browser sends as `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const parsed = new URL(value);
    return ['http:', 'https:'].includes(parsed.protocol) && parsed.origin === value;
  } catch {
    return false;
  }
}

/** Secrets and ids of the marketplace apps; a receiver whose variables are unset answers 503. */
const PLATFORM_VARIABLES = [
  'LAZADA_APP_KEY',
  'LAZADA_APP_SECRET',
  'SHOPEE_PARTNER_ID',
  'SHOPEE_PARTNER_KEY',
  'SHOPEE_PUSH_URL',
  'TIKTOK_APP_KEY',
  'TIKTOK_APP_SECRET',
  'TIKI_CLIENT_ID',
  'TIKI_CLIENT_SECRET',
] as const;

const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z.enum(['development', 'test', 'production']).default('development'),
  ),
  PORT: port(4000),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  REDIS_URL: url(['redis:', 'rediss:']),
  REDIS_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(100)
      .regex(/^[\w:.-]+$/, 'letters, digits and _ : . - only')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data')),
  EMBEDDED_PG_PORT: port(54329),
  DB_POOL_MAX: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(200).default(10)),
  JOBS_ENABLED: booleanFlag,
  GRAPHIQL: booleanFlag,
  GRAPHQL_INTROSPECTION: booleanFlag,
  METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  METRICS_PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(65535).optional(),
  ),
  CORS_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin.length > 0),
      )
      .refine(
        (origins) => origins.every((origin) => origin === '*' || isOrigin(origin)),
        'expected * or comma-separated origins such as https://crm.example.com',
      )
      .optional(),
  ),
  WS_MAX_SOCKETS_PER_IP: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(100_000).default(50),
  ),
  WS_MAX_OPERATIONS_PER_SOCKET: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(10_000).default(100),
  ),
  WS_MAX_SOCKETS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(1_000_000).default(25_000),
  ),
  WS_MAX_SOCKETS_PER_VIEWER: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(100_000).default(100),
  ),
  WS_MAX_SUBSCRIPTIONS_PER_VIEWER: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(1_000_000).default(500),
  ),
  WS_MAX_BUFFERED_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(16 * 1024),
  ),
  JWT_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  JWT_TTL_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(8 * 3_600),
  ),
  ...Object.fromEntries(PLATFORM_VARIABLES.map((name) => [name, optionalText])),
  ...Object.fromEntries(
    ['LAZADA', 'SHOPEE', 'TIKTOK', 'TIKI', 'SENDO'].map((p) => [
      `${p}_API_BASE_URL`,
      url(['http:', 'https:']),
    ]),
  ),
  CREDENTIALS_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().refine(isCredentialKey, KEY_MESSAGE).optional(),
  ),
  CREDENTIALS_PREVIOUS_KEYS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((key) => key.trim())
          .filter((key) => key.length > 0),
      )
      .refine((keys) => keys.every(isCredentialKey), `each key: ${KEY_MESSAGE}`)
      .optional(),
  ),
  OAUTH_REDIRECT_BASE_URL: url(['http:', 'https:']),
  OAUTH_STATE_TTL_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(60).max(3_600).default(600),
  ),
  TOKEN_REFRESH_MAX_ATTEMPTS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(50).default(5),
  ),
  TOKEN_REFRESH_RETRY_BASE_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  ),
  LAZADA_AUTH_BASE_URL: url(['http:', 'https:']),
  TIKTOK_AUTH_BASE_URL: url(['http:', 'https:']),
  TIKTOK_AUTHORIZE_URL: url(['http:', 'https:']),
  TIKTOK_SERVICE_ID: optionalText,
  ZALO_APP_SECRET: optionalText,
  ZALO_OAUTH_BASE_URL: url(['http:', 'https:']),
  FACEBOOK_APP_ID: optionalText,
  FACEBOOK_DIALOG_URL: url(['http:', 'https:']),
  FACEBOOK_APP_SECRET: optionalText,
  FACEBOOK_VERIFY_TOKEN: optionalText,
  FACEBOOK_API_BASE_URL: url(['http:', 'https:']),
  ZALO_APP_ID: optionalText,
  ZALO_OA_SECRET: optionalText,
  ZALO_API_BASE_URL: url(['http:', 'https:']),
  MESSAGE_SEND_MAX_ATTEMPTS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(50).default(6),
  ),
  MESSAGE_SEND_RETRY_BASE_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(10).max(600_000).default(2_000),
  ),
  MESSAGE_SEND_RATE_PER_SECOND: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(10_000).default(20),
  ),
  TIKI_QUEUE_CODE: optionalText,
  TIKI_PULL_INTERVAL_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  ),
  WEBHOOK_RATE_LIMIT_PER_SECOND: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(100_000).default(100),
  ),
  ORDER_API_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(100).max(120_000).default(10_000),
  ),
  INBOUND_MAX_ATTEMPTS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(50).default(8),
  ),
  GRAPHQL_MAX_DEPTH: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(2).max(50).default(12),
  ),
  AI_BASE_URL: url(['http:', 'https:']),
  AI_API_KEY: optionalText,
  AI_MODEL: optionalText,
  AI_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(100).max(60_000).default(5_000),
  ),
  AI_MIN_CONFIDENCE: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(1).default(0.6)),
  AI_BREAKER_FAILURES: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(100).default(3),
  ),
  AI_BREAKER_COOLDOWN_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  ),
  BOT_BUDGET_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(500).max(60_000).default(5_000),
  ),
  EXPORTS_MAX_CONCURRENT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(100).default(4),
  ),
  EXPORTS_PER_VIEWER: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(100).default(2),
  ),
  EXPORT_IDLE_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  ),
  PARTNER_WEBHOOK_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(100).max(30_000).default(5_000),
  ),
  PARTNER_WEBHOOK_ALLOW_PRIVATE_URLS: booleanFlag,
  PARTNER_WEBHOOK_RETENTION_DAYS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(3_650).default(30),
  ),
  IMPORT_MAX_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(1_024)
      .max(2 * 1024 ** 3)
      .default(100 * 1024 ** 2),
  ),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Absent: the embedded PostgreSQL under `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Absent: the in-process event bus is used. */
  redisUrl: string | undefined;
  /**
   * Put in front of every Redis key and channel, so deployments sharing one
   * Redis keep their events and limits apart; by default `crm:<database name>:`.
   */
  redisPrefix: string;
  dataDir: string;
  embeddedPostgresPort: number;
  dbPoolMax: number;
  jobsEnabled: boolean;
  graphqlMaxDepth: number;
  /** GraphiQL at /graphiql (and /graphql in a browser): on outside production unless GRAPHIQL=false. */
  graphiql: boolean;
  /** `__schema`/`__type` over HTTP and WebSocket: on outside production unless GRAPHQL_INTROSPECTION=false. */
  graphqlIntrospection: boolean;
  metrics: MetricsConfig;
  /** Origins browsers may call /graphql from; `'*'`: any (the default outside production). */
  corsOrigins: string[] | '*';
  websocket: WebSocketLimits;
  subscriptions: SubscriptionLimits;
  /** Absent outside production: a random secret is generated at start (tokens die with the process). */
  jwtSecret: string | undefined;
  jwtTtlSeconds: number;
  platforms: PlatformConfig;
  /** CREDENTIALS_KEY (the development key outside production when unset) and the keys it replaced. */
  credentialsKey: { current: string; previous: string[] };
  oauth: OAuthConfig;
  /** Tiki's event queue, pulled when TIKI_CLIENT_ID and TIKI_CLIENT_SECRET are set. */
  tikiQueue: {
    /** Absent: the API finds or creates its own queue. */
    code: string | undefined;
    /** 0 turns the periodic pull off (tests drive it themselves). */
    pullIntervalMs: number;
  };
  webhookRateLimitPerSecond: number;
  inboundMaxAttempts: number;
  messaging: MessagingConfig;
  bot: BotConfig;
  exports: ExportLimits;
  partnerWebhooks: PartnerWebhookConfig;
  imports: ImportLimits;
};

/** Order events POSTed to partner apps (see docs/partner-apps.md). */
export type PartnerWebhookConfig = {
  /** One attempt's limit, connection to last byte of the answer. */
  timeoutMs: number;
  /**
   * Loopback, private and link-local addresses are refused unless this is on
   * (tests, a receiver on the same private network); plain http only outside production.
   */
  allowPrivateUrls: boolean;
  requireHttps: boolean;
  /** Finished deliveries older than this are deleted. */
  retentionDays: number;
};

/** GET /exports: each export holds a database connection and a transaction while it runs. */
export type ExportLimits = {
  /** Exports running at once in this process. */
  maxConcurrent: number;
  /** Exports running at once for one user or API key. */
  perViewer: number;
  /** A client that takes nothing for this long is cut off and its transaction ended. */
  idleTimeoutMs: number;
};

/** POST /imports/customers. */
export type ImportLimits = {
  /** The largest CSV body read; a larger one is refused (413) or fails its job. */
  maxBytes: number;
};

/**
 * Who may read /metrics. With a token, only requests bearing it; with a port,
 * only that port serves it (the API port does not). With neither, production
 * does not serve it at all.
 */
export type MetricsConfig = { token: string | undefined; port: number | undefined };

/** Caps per client on the graphql-ws endpoint. */
export type WebSocketLimits = {
  /** Open sockets per client IP; the next upgrade is answered 429. */
  maxSocketsPerIp: number;
  /** Operations (subscriptions included) running at once on one socket. */
  maxOperationsPerSocket: number;
};

/**
 * Caps that bound what subscriptions hold in one process (see
 * docs/limits-and-security.md, "Subscriptions at scale").
 */
export type SubscriptionLimits = {
  /** Open sockets in this process; the next one is closed 1013 (try again later). */
  maxSockets: number;
  /** Open sockets per user or API key; the next one is closed 4012 at connection_init. */
  maxSocketsPerViewer: number;
  /** Subscriptions per user or API key over all its sockets; the next is refused RATE_LIMITED. */
  maxSubscriptionsPerViewer: number;
  /** Unsent bytes a socket may hold before it is closed 4011 as a slow consumer. */
  maxBufferedBytes: number;
};

/** The conversation bot: its optional AI provider, the time budget and the provider's breaker. */
export type BotConfig = {
  /** Absent (AI_BASE_URL unset): the chain starts at the knowledge base. */
  ai: { baseUrl: string; apiKey: string | undefined; model: string } | undefined;
  aiTimeoutMs: number;
  /** An AI answer less sure than this counts as no answer. */
  aiMinConfidence: number;
  /** From the buyer's message to the bot's answer, all steps included. */
  budgetMs: number;
  breaker: { failureThreshold: number; cooldownMs: number };
};

/** Messenger and Zalo OA receivers and the outbound delivery of chat messages. */
export type MessagingConfig = {
  facebook: {
    appSecret: string | undefined;
    verifyToken: string | undefined;
    apiBaseUrl: string;
  };
  zalo: { appId: string | undefined; oaSecret: string | undefined; apiBaseUrl: string };
  /** Tries of one outbound message before it is FAILED. */
  sendMaxAttempts: number;
  /** First retry delay; doubled per try (a 429's Retry-After wins when longer). */
  sendRetryBaseMs: number;
  /** Messages sent per channel per second, across instances when Redis is configured. */
  sendRatePerSecond: number;
  /** ORDER_API_TIMEOUT_MS: one timeout for every platform call. */
  timeoutMs: number;
};

/**
 * Connecting channels by the platforms' OAuth flows and keeping their tokens
 * fresh. Base URLs left unset are the platforms' real hosts (integrations/oauth).
 */
export type OAuthConfig = {
  /** This API's public URL; the callback is `<it>/oauth/<platform>/callback`. */
  redirectBaseUrl: string;
  stateTtlMs: number;
  /** Refresh tries (with doubling backoff) before REFRESH_FAILED. */
  refreshMaxAttempts: number;
  refreshRetryBaseMs: number;
  timeoutMs: number;
  lazada: { appKey?: string; appSecret?: string; authBaseUrl?: string; apiBaseUrl?: string };
  shopee: { partnerId?: string; partnerKey?: string; apiBaseUrl?: string };
  tiktok: {
    appKey?: string;
    appSecret?: string;
    serviceId?: string;
    authorizeUrl?: string;
    authBaseUrl?: string;
    apiBaseUrl?: string;
  };
  tiki: { clientId?: string; clientSecret?: string; apiBaseUrl?: string };
  sendo: { apiBaseUrl?: string };
  zalo: { appId?: string; appSecret?: string; oauthBaseUrl?: string; apiBaseUrl: string };
  facebook: { appId?: string; appSecret?: string; dialogUrl?: string; apiBaseUrl: string };
};

export const FACEBOOK_DEFAULT_API_BASE_URL = 'https://graph.facebook.com/v19.0';
export const ZALO_DEFAULT_API_BASE_URL = 'https://openapi.zalo.me';

export type PlatformSettings = {
  /** What the platform module's verify() needs. */
  secrets: {
    appKey?: string;
    appSecret?: string;
    partnerId?: string;
    partnerKey?: string;
    pushUrl?: string;
  };
  /** Variables that must be set before the receiver accepts anything. */
  missing: string[];
  /** `<P>_API_BASE_URL`; absent: the order-API client uses the platform's real host. */
  apiBaseUrl: string | undefined;
  /** ORDER_API_TIMEOUT_MS, shared by every platform's order-API calls. */
  apiTimeoutMs: number;
};

export type PlatformConfig = Record<
  'lazada' | 'shopee' | 'tiktok' | 'sendo' | 'tiki',
  PlatformSettings
>;

/** `crm:<database name>:`; the embedded database is called `crm`. */
export function defaultRedisPrefix(databaseUrl: string | undefined): string {
  const name = databaseUrl ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) : '';
  return `crm:${name || 'crm'}:`;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The one place that reads the environment. Every bad variable is reported at
 * once so that a deploy is fixed in one round, not one variable at a time.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    const missing = [
      ...(e.JWT_SECRET ? [] : ['JWT_SECRET: required when NODE_ENV=production']),
      ...(e.CREDENTIALS_KEY ? [] : ['CREDENTIALS_KEY: required when NODE_ENV=production']),
    ];
    if (missing.length > 0) throw new ConfigError(missing);
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT) {
    throw new ConfigError(['METRICS_PORT: must differ from PORT']);
  }
  // A provider without a model would fail every call: refuse at start instead.
  if (e.AI_BASE_URL && !e.AI_MODEL) {
    throw new ConfigError(['AI_MODEL: required when AI_BASE_URL is set']);
  }
  const platforms = platformConfig(
    e as unknown as Record<string, string | undefined>,
    e.ORDER_API_TIMEOUT_MS,
  );
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX ?? defaultRedisPrefix(e.DATABASE_URL),
    dataDir: path.resolve(e.DATA_DIR),
    embeddedPostgresPort: e.EMBEDDED_PG_PORT,
    dbPoolMax: e.DB_POOL_MAX,
    jobsEnabled: e.JOBS_ENABLED ?? e.NODE_ENV !== 'test',
    graphqlMaxDepth: e.GRAPHQL_MAX_DEPTH,
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    corsOrigins: corsOrigins(e.CORS_ORIGINS, e.NODE_ENV),
    websocket: {
      maxSocketsPerIp: e.WS_MAX_SOCKETS_PER_IP,
      maxOperationsPerSocket: e.WS_MAX_OPERATIONS_PER_SOCKET,
    },
    subscriptions: {
      maxSockets: e.WS_MAX_SOCKETS,
      maxSocketsPerViewer: e.WS_MAX_SOCKETS_PER_VIEWER,
      maxSubscriptionsPerViewer: e.WS_MAX_SUBSCRIPTIONS_PER_VIEWER,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
    },
    jwtSecret: e.JWT_SECRET,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    platforms,
    credentialsKey: {
      current: e.CREDENTIALS_KEY ?? DEV_CREDENTIALS_KEY,
      previous: e.CREDENTIALS_PREVIOUS_KEYS ?? [],
    },
    oauth: {
      redirectBaseUrl: (e.OAUTH_REDIRECT_BASE_URL ?? `http://localhost:${e.PORT}`).replace(
        /\/+$/,
        '',
      ),
      stateTtlMs: e.OAUTH_STATE_TTL_SECONDS * 1000,
      refreshMaxAttempts: e.TOKEN_REFRESH_MAX_ATTEMPTS,
      refreshRetryBaseMs: e.TOKEN_REFRESH_RETRY_BASE_MS,
      timeoutMs: e.ORDER_API_TIMEOUT_MS,
      lazada: {
        appKey: platforms.lazada.secrets.appKey,
        appSecret: platforms.lazada.secrets.appSecret,
        authBaseUrl: e.LAZADA_AUTH_BASE_URL,
        apiBaseUrl: platforms.lazada.apiBaseUrl,
      },
      shopee: {
        partnerId: platforms.shopee.secrets.partnerId,
        partnerKey: platforms.shopee.secrets.partnerKey,
        apiBaseUrl: platforms.shopee.apiBaseUrl,
      },
      tiktok: {
        appKey: platforms.tiktok.secrets.appKey,
        appSecret: platforms.tiktok.secrets.appSecret,
        serviceId: e.TIKTOK_SERVICE_ID,
        authorizeUrl: e.TIKTOK_AUTHORIZE_URL,
        authBaseUrl: e.TIKTOK_AUTH_BASE_URL,
        apiBaseUrl: platforms.tiktok.apiBaseUrl,
      },
      tiki: {
        clientId: platforms.tiki.secrets.appKey,
        clientSecret: platforms.tiki.secrets.appSecret,
        apiBaseUrl: platforms.tiki.apiBaseUrl,
      },
      sendo: { apiBaseUrl: platforms.sendo.apiBaseUrl },
      zalo: {
        appId: e.ZALO_APP_ID,
        appSecret: e.ZALO_APP_SECRET,
        oauthBaseUrl: e.ZALO_OAUTH_BASE_URL,
        apiBaseUrl: e.ZALO_API_BASE_URL ?? ZALO_DEFAULT_API_BASE_URL,
      },
      facebook: {
        appId: e.FACEBOOK_APP_ID,
        appSecret: e.FACEBOOK_APP_SECRET,
        dialogUrl: e.FACEBOOK_DIALOG_URL,
        apiBaseUrl: e.FACEBOOK_API_BASE_URL ?? FACEBOOK_DEFAULT_API_BASE_URL,
      },
    },
    tikiQueue: { code: e.TIKI_QUEUE_CODE, pullIntervalMs: e.TIKI_PULL_INTERVAL_MS },
    webhookRateLimitPerSecond: e.WEBHOOK_RATE_LIMIT_PER_SECOND,
    inboundMaxAttempts: e.INBOUND_MAX_ATTEMPTS,
    bot: {
      ai:
        e.AI_BASE_URL && e.AI_MODEL
          ? { baseUrl: e.AI_BASE_URL, apiKey: e.AI_API_KEY, model: e.AI_MODEL }
          : undefined,
      aiTimeoutMs: e.AI_TIMEOUT_MS,
      aiMinConfidence: e.AI_MIN_CONFIDENCE,
      budgetMs: e.BOT_BUDGET_MS,
      breaker: { failureThreshold: e.AI_BREAKER_FAILURES, cooldownMs: e.AI_BREAKER_COOLDOWN_MS },
    },
    exports: {
      maxConcurrent: e.EXPORTS_MAX_CONCURRENT,
      perViewer: e.EXPORTS_PER_VIEWER,
      idleTimeoutMs: e.EXPORT_IDLE_TIMEOUT_MS,
    },
    imports: { maxBytes: e.IMPORT_MAX_BYTES },
    partnerWebhooks: {
      timeoutMs: e.PARTNER_WEBHOOK_TIMEOUT_MS,
      allowPrivateUrls: e.PARTNER_WEBHOOK_ALLOW_PRIVATE_URLS ?? false,
      requireHttps: e.NODE_ENV === 'production',
      retentionDays: e.PARTNER_WEBHOOK_RETENTION_DAYS,
    },
    messaging: {
      facebook: {
        appSecret: e.FACEBOOK_APP_SECRET,
        verifyToken: e.FACEBOOK_VERIFY_TOKEN,
        apiBaseUrl: e.FACEBOOK_API_BASE_URL ?? FACEBOOK_DEFAULT_API_BASE_URL,
      },
      zalo: {
        appId: e.ZALO_APP_ID,
        oaSecret: e.ZALO_OA_SECRET,
        apiBaseUrl: e.ZALO_API_BASE_URL ?? ZALO_DEFAULT_API_BASE_URL,
      },
      sendMaxAttempts: e.MESSAGE_SEND_MAX_ATTEMPTS,
      sendRetryBaseMs: e.MESSAGE_SEND_RETRY_BASE_MS,
      sendRatePerSecond: e.MESSAGE_SEND_RATE_PER_SECOND,
      timeoutMs: e.ORDER_API_TIMEOUT_MS,
    },
  };
}

/** Unset: any origin while developing, none in production (browsers there must be listed). */
function corsOrigins(listed: string[] | undefined, env: Config['env']): Config['corsOrigins'] {
  if (listed === undefined) return env === 'production' ? [] : '*';
  return listed.includes('*') ? '*' : listed;
}

function platformConfig(
  e: Record<string, string | undefined>,
  apiTimeoutMs: number,
): PlatformConfig {
  const settings = (
    prefix: string,
    required: string[],
    secrets: PlatformSettings['secrets'],
  ): PlatformSettings => ({
    secrets,
    missing: required.filter((name) => !e[name]),
    apiBaseUrl: e[`${prefix}_API_BASE_URL`],
    apiTimeoutMs,
  });
  return {
    lazada: settings('LAZADA', ['LAZADA_APP_KEY', 'LAZADA_APP_SECRET'], {
      appKey: e.LAZADA_APP_KEY,
      appSecret: e.LAZADA_APP_SECRET,
    }),
    shopee: settings('SHOPEE', ['SHOPEE_PARTNER_KEY', 'SHOPEE_PUSH_URL'], {
      // Only the order API needs the partner id; pushes verify without it.
      partnerId: e.SHOPEE_PARTNER_ID,
      partnerKey: e.SHOPEE_PARTNER_KEY,
      pushUrl: e.SHOPEE_PUSH_URL,
    }),
    tiktok: settings('TIKTOK', ['TIKTOK_APP_KEY', 'TIKTOK_APP_SECRET'], {
      appKey: e.TIKTOK_APP_KEY,
      appSecret: e.TIKTOK_APP_SECRET,
    }),
    // Sendo's shop key belongs to each connected channel, not to the app.
    sendo: settings('SENDO', [], {}),
    // Tiki is pulled with our own OAuth2 client credentials; nothing is pushed to verify.
    tiki: settings('TIKI', ['TIKI_CLIENT_ID', 'TIKI_CLIENT_SECRET'], {
      appKey: e.TIKI_CLIENT_ID,
      appSecret: e.TIKI_CLIENT_SECRET,
    }),
  };
}

/** A URL fit for a log line: the password is never printed. */
export function redactUrl(value: string): string {
  const parsed = new URL(value);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

const cliEnvSchema = z.object({
  API_URL: url(['http:', 'https:']),
  PORT: port(4000),
  CRM_TOKEN: optionalText,
  CRM_EMAIL: optionalText,
  CRM_PASSWORD: optionalText,
});

/** The operator commands that talk to a running API (import:customers, sync:orders). */
export type CliConfig = {
  /** API_URL; absent: the API `npm start` serves on this machine (PORT). */
  apiUrl: string;
  credentials: { token: string } | { email: string; password: string };
};

export function loadCliConfig(env: NodeJS.ProcessEnv): CliConfig {
  const parsed = cliEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const apiUrl = (e.API_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, '');
  if (e.CRM_TOKEN) return { apiUrl, credentials: { token: e.CRM_TOKEN } };
  if (e.CRM_EMAIL && e.CRM_PASSWORD) {
    return { apiUrl, credentials: { email: e.CRM_EMAIL, password: e.CRM_PASSWORD } };
  }
  throw new ConfigError([
    'CRM_TOKEN: set it (a token from the login mutation), or CRM_EMAIL and CRM_PASSWORD',
  ]);
}
