import type { Row } from '../shared/rows';
/**
 * Manual order sync (the runbook's "Integrations -> Order Sync"): pulls a
 * channel's orders created in a date range through the platform's
 * order-list API and applies each one through the same lattice path as
 * pushes and enrichment (upsertFromDetail). The request only records a
 * QUEUED job and enqueues it; a worker (jobs/order-sync.job.ts) pages
 * through the platform, one transaction per page, writing progress and the
 * resume cursor with each page.
 */
import {
  UniqueConstraintViolationException,
  type EntityManager,
  type FilterQuery,
  type MikroORM,
} from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Channel, OrderSyncJob, User } from '../../entities';
import { ChannelStatus, MARKETPLACES, OrderSyncStatus, Platform } from '../../entities/enums';
import type { OrderSyncCursor } from '../../entities/order-sync-job.entity';
import {
  clientFor,
  credentialsOf,
  PlatformError,
  PlatformRateLimited,
  PlatformUnavailable,
  type OrderApiClients,
  type OrderDetail,
  type OrderPage,
} from '../../integrations/order-api';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type OrderSyncProgressEvent } from '../../kernel/topics';
import { assertId, badInput, DomainError, notFound } from '../../kernel/errors';
import { keysetPage, type Page, type PageRequest } from '../shared/keyset';
import {
  channelWithCredentials,
  publishDetailApplied,
  upsertFromDetail,
  type DetailUpserted,
} from './order-enrichment.service';
import type { RequestScope } from '../../kernel/request-scope';

const DAY_MS = 86_400_000;
/** Longest range one sync may cover; longer pulls are split by the operator. */
export const MAX_SYNC_RANGE_DAYS = 90;
/** Shopee's get_order_list accepts at most 15 days between time_from and time_to. */
export const SHOPEE_WINDOW_MS = 15 * DAY_MS;
/**
 * A RUNNING job whose heartbeat is older than this has lost its worker (the
 * process died); it may be claimed again and resumes from its cursor. The
 * worker touches the heartbeat after each page and before each wait, and no
 * wait is longer than RetryPolicy.maxDelayMs, so a live worker is never this
 * quiet.
 */
export const STALE_HEARTBEAT_MS = 3 * 60_000;

export const FINAL_SYNC_STATUSES: ReadonlySet<OrderSyncStatus> = new Set([
  OrderSyncStatus.SUCCEEDED,
  OrderSyncStatus.FAILED,
]);

/** Enqueues a sync's worker inside the caller's transaction (see jobs/order-sync.job.ts). */
export type OrderSyncQueue = { enqueue(em: EntityManager, jobId: string): Promise<void> };

export type StartOrderSyncInput = { channelId: string; from: Date; to: Date };

export const orderSyncService = {
  /**
   * Validates and records a QUEUED job, and enqueues its worker in the same
   * transaction. Without a queue (a process that runs no jobs) the job waits
   * for the jobs process's resume sweep. A channel runs one sync at a time:
   * a second is CONFLICT naming the running one (`jobId`).
   */
  async start(
    { em, viewer }: RequestScope,
    input: StartOrderSyncInput,
    queue: OrderSyncQueue | undefined,
    now = new Date(),
  ): Promise<OrderSyncJob> {
    const channelId = assertId(input.channelId, 'channelId');
    const { from } = input;
    // A range reaching into the future means "up to now": nothing exists later yet.
    const to = input.to.getTime() > now.getTime() ? now : input.to;
    const channel = await em.findOne(Channel, channelId);
    if (!channel) throw notFound('Channel', channelId);
    if (!(MARKETPLACES as readonly Platform[]).includes(channel.platform)) {
      throw badInput(
        `channel ${channel.name} is a ${channel.platform} channel; only marketplace channels (${MARKETPLACES.join(', ')}) have an order API to sync from`,
        'channelId',
      );
    }
    if (channel.status === ChannelStatus.DISCONNECTED) {
      throw badInput(
        `channel ${channel.name} is disconnected; reconnect it before syncing`,
        'channelId',
      );
    }
    if (from.getTime() >= now.getTime()) throw badInput('from must be in the past', 'from');
    if (from.getTime() >= to.getTime()) throw badInput('from must be before to', 'to');
    if (to.getTime() - from.getTime() > MAX_SYNC_RANGE_DAYS * DAY_MS) {
      throw badInput(
        `a sync covers at most ${MAX_SYNC_RANGE_DAYS} days; split the range into several syncs`,
        'to',
      );
    }
    await assertNoActiveSync(em, channelId);
    try {
      return await em.fork().transactional(async (tx) => {
        const job = tx.create(OrderSyncJob, {
          channel: tx.getReference(Channel, channelId),
          from,
          to,
          requestedBy: viewer?.kind === 'user' ? tx.getReference(User, viewer.id) : undefined,
        });
        await tx.flush();
        await queue?.enqueue(tx, job.id);
        return job;
      });
    } catch (error) {
      // Two requests raced past the check: the partial unique index decides.
      if (error instanceof UniqueConstraintViolationException) {
        await assertNoActiveSync(em.fork(), channelId);
      }
      throw error;
    }
  },

  async get({ em }: RequestScope, id: string): Promise<OrderSyncJob> {
    const job = await em.findOne(OrderSyncJob, assertId(id));
    if (!job) throw notFound('OrderSyncJob', id);
    return job;
  },

  /** Newest first. */
  async list(
    { em }: RequestScope,
    filter: { channelId?: string | null },
    page: PageRequest,
  ): Promise<Page<Row<OrderSyncJob>>> {
    const where: FilterQuery<OrderSyncJob> = filter.channelId
      ? { channel: assertId(filter.channelId, 'channelId') }
      : {};
    return keysetPage(em, OrderSyncJob, where, page, { field: 'createdAt', direction: 'DESC' });
  },
};

async function assertNoActiveSync(em: EntityManager, channelId: string): Promise<void> {
  const active = await em.findOne(
    OrderSyncJob,
    { channel: channelId, status: { $in: [OrderSyncStatus.QUEUED, OrderSyncStatus.RUNNING] } },
    { fields: ['id', 'status'] },
  );
  if (active) {
    throw new DomainError(
      'CONFLICT',
      `a sync of this channel is already ${active.status.toLowerCase()} (job ${active.id}); wait for it to finish`,
      { jobId: active.id },
    );
  }
}

// ---- the worker ------------------------------------------------------------------

/**
 * How a page that failed is retried. A 429 waits the platform's Retry-After
 * (capped at maxDelayMs so the heartbeat stays fresh); a 5xx, network error
 * or timeout waits baseDelayMs * 2^n. Retries count per page: a page that
 * succeeds resets them.
 */
export type RetryPolicy = {
  maxRetries: number;
  maxRateLimitRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  maxRateLimitRetries: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

export type OrderSyncDeps = {
  orm: MikroORM;
  bus: EventBus;
  clients: OrderApiClients;
  logger?: Logger;
  /** Orders per list request; absent: the platform's maximum. */
  pageSize?: number;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
};

export type OrderSyncRunResult = 'succeeded' | 'failed' | 'skipped';

type Counters = Pick<
  OrderSyncJob,
  'pages' | 'ordersSeen' | 'created' | 'updated' | 'unchanged' | 'failed' | 'lastError'
>;

/**
 * Runs (or resumes) one sync. Claiming is one conditional UPDATE: a job
 * already finished, or RUNNING with a fresh heartbeat (another worker has
 * it), is skipped, so a duplicate delivery never runs a sync twice at once.
 * A resumed job continues from its stored cursor with its counts so far.
 */
export async function runOrderSync(
  deps: OrderSyncDeps,
  jobId: string,
): Promise<OrderSyncRunResult> {
  const { orm, bus } = deps;
  const claimed = await orm.em.fork().execute<{ id: string }[]>(
    `update "order_sync_job"
     set "status" = 'RUNNING', "started_at" = coalesce("started_at", now()),
         "heartbeat_at" = now(), "updated_at" = now()
     where "id" = ? and ("status" = 'QUEUED' or ("status" = 'RUNNING'
       and ("heartbeat_at" is null or "heartbeat_at" < now() - make_interval(secs => ?))))
     returning "id"`,
    [jobId, STALE_HEARTBEAT_MS / 1000],
  );
  if (claimed.length === 0) return 'skipped';
  publishProgress(bus, jobId, OrderSyncStatus.RUNNING);
  const em = orm.em.fork();
  const job = await em.findOneOrFail(OrderSyncJob, jobId);
  try {
    return await pageThrough(deps, job);
  } catch (error) {
    // A bug or the database: record it so the job does not sit RUNNING; a
    // new sync of the range is safe (orders already applied come out unchanged).
    deps.logger?.error({ err: error, jobId }, 'order sync failed unexpectedly');
    await finishFailed(deps, job, error instanceof Error ? error.message : String(error));
    return 'failed';
  }
}

async function pageThrough(deps: OrderSyncDeps, job: OrderSyncJob): Promise<OrderSyncRunResult> {
  const { orm } = deps;
  const channel = await channelWithCredentials(orm.em.fork(), job.channel.id);
  const client = clientFor(deps.clients, channel.platform);
  const windowMs = channel.platform === Platform.SHOPEE ? SHOPEE_WINDOW_MS : Infinity;
  let cursor: OrderSyncCursor | null = job.cursor ?? {
    windowFrom: job.from.toISOString(),
    page: null,
  };
  const counters: Counters = {
    pages: job.pages,
    ordersSeen: job.ordersSeen,
    created: job.created,
    updated: job.updated,
    unchanged: job.unchanged,
    failed: job.failed,
    lastError: job.lastError,
  };
  while (cursor) {
    const windowFrom: Date = new Date(cursor.windowFrom);
    const windowTo: Date = new Date(Math.min(windowFrom.getTime() + windowMs, job.to.getTime()));
    const pageCursor = cursor.page;
    // Read per page: a token renewed meanwhile (refresh job, or a refused call) is used at once.
    const credentials = credentialsOf(await channelWithCredentials(orm.em.fork(), channel.id));
    const fetched = await withRetries(deps, job.id, () =>
      client.listOrders(credentials, {
        from: windowFrom,
        to: windowTo,
        cursor: pageCursor,
        pageSize: deps.pageSize,
      }),
    );
    if (!fetched.ok) {
      await finishFailed(deps, job, fetched.error);
      return 'failed';
    }
    const page: OrderPage = fetched.page;
    const next: OrderSyncCursor | null = page.nextCursor
      ? { windowFrom: cursor.windowFrom, page: page.nextCursor }
      : windowTo.getTime() < job.to.getTime()
        ? { windowFrom: windowTo.toISOString(), page: null }
        : null;
    await applyPage(deps, job, channel, page.orders, counters, next);
    cursor = next;
  }
  return 'succeeded';
}

type Fetched = { ok: true; page: OrderPage } | { ok: false; error: string };

async function withRetries(
  deps: OrderSyncDeps,
  jobId: string,
  fetch: () => Promise<OrderPage>,
): Promise<Fetched> {
  const policy = deps.retry ?? DEFAULT_RETRY_POLICY;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let unavailable = 0;
  let rateLimited = 0;
  for (;;) {
    try {
      return { ok: true, page: await fetch() };
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      let delay: number;
      if (error instanceof PlatformRateLimited) {
        rateLimited += 1;
        if (rateLimited > policy.maxRateLimitRetries) {
          return {
            ok: false,
            error: `${error.message}; still rate limited after ${rateLimited} tries`,
          };
        }
        delay = error.retryAfterMs;
      } else if (error instanceof PlatformUnavailable) {
        unavailable += 1;
        if (unavailable > policy.maxRetries) {
          return { ok: false, error: `${error.message}; gave up after ${unavailable} tries` };
        }
        delay = policy.baseDelayMs * 2 ** (unavailable - 1);
      } else {
        // PlatformRejected: a bad token or a refused query; asking again will not help.
        return { ok: false, error: error.message };
      }
      await touch(deps.orm, jobId);
      await sleep(Math.min(Math.max(delay, 0), policy.maxDelayMs));
    }
  }
}

/**
 * One page in one transaction: each order in its own savepoint, so one bad
 * order is counted as failed without undoing the others; the job's counts
 * and next cursor commit with the orders, so a crash after the commit
 * resumes after this page and a crash before it repeats only this page
 * (harmless: a repeated detail is unchanged). Events go out after commit.
 */
async function applyPage(
  deps: OrderSyncDeps,
  job: OrderSyncJob,
  channel: Channel,
  details: OrderDetail[],
  counters: Counters,
  next: OrderSyncCursor | null,
): Promise<void> {
  const { orm, bus } = deps;
  const changed: DetailUpserted[] = [];
  const pageCounts = { ...counters };
  await orm.em.fork().transactional(async (tx) => {
    for (const detail of details) {
      pageCounts.ordersSeen += 1;
      try {
        const result = await upsertWithRetry(tx, channel, detail);
        pageCounts[result.outcome] += 1;
        if (result.outcome !== 'unchanged') changed.push(result);
      } catch (error) {
        pageCounts.failed += 1;
        pageCounts.lastError = `order ${detail.externalId}: ${error instanceof Error ? error.message : String(error)}`;
        deps.logger?.warn({ err: error, jobId: job.id }, 'order sync could not apply an order');
      }
    }
    pageCounts.pages += 1;
    const finished = next === null;
    await tx.nativeUpdate(
      OrderSyncJob,
      { id: job.id },
      {
        ...pageCounts,
        ...(next ? { cursor: next } : {}),
        heartbeatAt: new Date(),
        ...(finished ? { status: OrderSyncStatus.SUCCEEDED, finishedAt: new Date() } : {}),
      },
    );
  });
  Object.assign(counters, pageCounts);
  for (const result of changed) publishDetailApplied(bus, result.orderId, result.applied);
  publishProgress(bus, job.id, next === null ? OrderSyncStatus.SUCCEEDED : OrderSyncStatus.RUNNING);
}

/** A push may create the same order between our read and insert: the second try finds it. */
async function upsertWithRetry(
  tx: EntityManager,
  channel: Channel,
  detail: OrderDetail,
): Promise<DetailUpserted> {
  if (detail.shopId !== channel.externalShopId) {
    throw new Error(`belongs to shop ${detail.shopId}, not ${channel.externalShopId}`);
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await tx.transactional((savepoint) => upsertFromDetail(savepoint, channel, detail));
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException) || attempt >= 2) throw error;
    }
  }
}

async function finishFailed(deps: OrderSyncDeps, job: OrderSyncJob, error: string): Promise<void> {
  await deps.orm.em.fork().nativeUpdate(
    OrderSyncJob,
    { id: job.id },
    {
      status: OrderSyncStatus.FAILED,
      lastError: error.slice(0, 2_000),
      finishedAt: new Date(),
      heartbeatAt: new Date(),
    },
  );
  publishProgress(deps.bus, job.id, OrderSyncStatus.FAILED);
}

async function touch(orm: MikroORM, jobId: string): Promise<void> {
  await orm.em.fork().nativeUpdate(OrderSyncJob, { id: jobId }, { heartbeatAt: new Date() });
}

function publishProgress(bus: EventBus, jobId: string, status: OrderSyncStatus): void {
  bus.publish(TOPICS.orderSyncProgress, { jobId, status } satisfies OrderSyncProgressEvent);
}

/**
 * Jobs no worker holds: QUEUED ones older than `graceMs` (created by a
 * process without jobs, or whose queue entry was lost) and RUNNING ones
 * whose heartbeat went stale (the worker's process died). Oldest first.
 */
export async function orphanedSyncJobs(
  em: EntityManager,
  now = new Date(),
  graceMs = 60_000,
): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select "id" from "order_sync_job"
     where ("status" = 'QUEUED' and "created_at" < ?)
        or ("status" = 'RUNNING' and ("heartbeat_at" is null or "heartbeat_at" < ?))
     order by "created_at" limit 100`,
    [new Date(now.getTime() - graceMs), new Date(now.getTime() - STALE_HEARTBEAT_MS)],
  );
  return rows.map((row) => row.id);
}
