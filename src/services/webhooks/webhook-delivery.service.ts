import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { partnerViewerOf } from '../../auth/authenticate';
import { orderLogChannelScope } from '../../auth/scopes';
import { placeholders, rawRows } from '../../db/raw-sql';
import { type ApiKey, WebhookDelivery, WebhookEndpoint } from '../../entities';
import { ApiKeyScope } from '../../entities/api-key.entity';
import { WebhookDeliveryStatus, WebhookEndpointStatus } from '../../entities/enums';
import { assertId, badInput, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import type { EventBus } from '../../realtime/event-bus';
import {
  decodeLogCursor,
  encodeLogCursor,
  orderEventLog,
  type OrderLogEvent,
} from '../orders/order-event-log';
import { keysetPage, type Page, type PageRequest } from '../shared/keyset';
import type { Row } from '../shared/rows';
import { webhookEndpointService } from './webhook-endpoint.service';
import { webhookSignatureHeader } from './webhook-signature';
import { guardedLookup, type WebhookUrlPolicy } from './webhook-url';

export type WebhookSenderConfig = WebhookUrlPolicy & { timeoutMs: number };

/** Retries stop this long after the event (or after a redelivery request). */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/** Failed attempts in a row after which an endpoint is UNHEALTHY and no longer called. */
export const UNHEALTHY_AFTER_FAILURES = 20;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_DELAY_MS = 3_600_000;
/** Log events turned into deliveries per statement. */
const FAN_OUT_PAGE = 500;
/** Requests in flight per endpoint; each order's events still go one at a time. */
const SENDS_PER_ENDPOINT = 8;
const REDELIVER_MAX_EVENTS = 10_000;
/** A claimed delivery is someone else's to send again this long after its attempt's timeout. */
const CLAIM_MARGIN_MS = 30_000;

/** Exponential with full jitter on the upper half: attempt 1 waits 2.5-5 s, attempt 10 up to ~43 min. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The body partners receive: the event, its log cursor (what `orderEvents(after:)` takes) and the order. */
export function deliveryBody(deliveryId: string, event: OrderLogEvent): string {
  const order = event.order;
  return JSON.stringify({
    id: deliveryId,
    type: 'order.status_changed',
    cursor: encodeLogCursor(event.sequence),
    createdAt: event.receivedAt.toISOString(),
    data: {
      eventId: event.id,
      status: event.status,
      rawStatus: event.rawStatus,
      eventTime: event.eventTime.toISOString(),
      order: order && {
        id: order.id,
        platform: order.platform,
        channelId: event.channelId,
        shopId: order.shopId,
        externalId: order.externalId,
        status: order.status,
        currency: order.currency,
        subtotal: order.subtotal,
        shippingFee: order.shippingFee,
        discount: order.discount,
        total: order.total,
        placedAt: order.placedAt.toISOString(),
        updatedAt: order.updatedAt.toISOString(),
      },
    },
  });
}

/** The scope of the endpoint's key, or null when the key may no longer read orders. */
function keyChannelScope(key: ApiKey): readonly string[] | null {
  if (key.revokedAt || !key.scopes.includes(ApiKeyScope.ORDERS_READ)) return null;
  return orderLogChannelScope(partnerViewerOf(key));
}

/**
 * One multi-row insert of a delivery per event; an event already turned into
 * a delivery for this endpoint is left as it is.
 */
async function insertDeliveries(
  em: EntityManager,
  endpointId: string,
  events: OrderLogEvent[],
  now: Date,
  onConflict: 'keep' | 'redeliver',
): Promise<number> {
  if (events.length === 0) return 0;
  const values: unknown[] = [];
  const rows = events.map((event) => {
    const id = randomUUID();
    values.push(id, endpointId, event.id, event.orderId, event.sequence, deliveryBody(id, event));
    values.push(now, new Date(now.getTime() + RETRY_WINDOW_MS), now);
    return `(${placeholders([1, 2, 3, 4, 5, 6, 7, 8, 9])}, 'PENDING', 0)`;
  });
  const conflict =
    onConflict === 'keep'
      ? 'do nothing'
      : `do update set "status" = 'PENDING', "next_attempt_at" = excluded."next_attempt_at",
           "retry_until" = excluded."retry_until"`;
  const inserted = await rawRows<{ id: string }>(
    em,
    `insert into "webhook_delivery"
       ("id", "endpoint_id", "event_id", "order_id", "sequence", "body", "next_attempt_at",
        "retry_until", "created_at", "status", "attempts")
     values ${rows.join(', ')}
     on conflict ("endpoint_id", "event_id") ${conflict}
     returning "id"`,
    values,
  );
  return inserted.length;
}

/**
 * Turns the order event log into deliveries for one endpoint, from its log
 * position to the log's head, and moves the position, in one transaction
 * under the endpoint's row lock: each event the key may read becomes exactly
 * one delivery (unique per endpoint and event), whichever instance runs this
 * and however often. The log itself is written in the transaction of the
 * order change, so an event that committed is never missed.
 */
export async function fanOut(orm: MikroORM, endpointId: string, now = new Date()): Promise<number> {
  return orm.em.fork().transactional(async (em) => {
    const endpoint = await em.findOne(
      WebhookEndpoint,
      { id: endpointId, status: { $ne: WebhookEndpointStatus.DISABLED } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['apiKey'] },
    );
    if (!endpoint) return 0;
    const head = await orderEventLog.head(em);
    if (head <= endpoint.logPosition) return 0;
    const scope = keyChannelScope(endpoint.apiKey.getEntity());
    let created = 0;
    let position = endpoint.logPosition;
    while (scope && position < head) {
      const events = (
        await orderEventLog.readAfter(
          em,
          position,
          FAN_OUT_PAGE,
          { statuses: endpoint.events },
          scope,
        )
      ).filter((event) => event.sequence <= head);
      if (events.length === 0) break;
      created += await insertDeliveries(em, endpoint.id, events, now, 'keep');
      position = events.at(-1)?.sequence ?? head;
      if (events.length < FAN_OUT_PAGE) break;
    }
    endpoint.logPosition = head;
    return created;
  });
}

type DueDelivery = { id: string; body: string; attempts: number; retry_until: Date };

/**
 * Claims each order's oldest waiting delivery, if it is due: later events of
 * an order wait for earlier ones. A claim pushes `next_attempt_at` past the
 * attempt's timeout, so two pumps never send the same delivery at once, and
 * a process that dies mid-send leaves it to be sent again (same
 * X-Webhook-Id) once the claim lapses.
 */
async function claimDueDeliveries(
  em: EntityManager,
  endpointId: string,
  limit: number,
  claimMs: number,
): Promise<DueDelivery[]> {
  return rawRows<DueDelivery>(
    em,
    `update "webhook_delivery" set "next_attempt_at" = now() + ? * interval '1 millisecond'
     where "id" in (
       select d."id" from "webhook_delivery" d
       where d."endpoint_id" = ? and d."status" = 'PENDING' and d."next_attempt_at" <= now()
         and not exists (
           select 1 from "webhook_delivery" e
           where e."endpoint_id" = d."endpoint_id" and e."order_id" = d."order_id"
             and e."status" = 'PENDING' and e."sequence" < d."sequence")
       order by d."sequence"
       limit ?
       for update skip locked)
     returning "id", "body", "attempts", "retry_until"`,
    [claimMs, endpointId, limit],
  );
}

export type AttemptResult = {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  error: string | null;
};

/** One POST; any 2xx is success, anything else (other status, timeout, refused address) a failure. */
export function postDelivery(
  config: WebhookSenderConfig,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<AttemptResult> {
  const started = performance.now();
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      const ok = status !== null && status >= 200 && status < 300;
      resolve({
        ok,
        status,
        latencyMs: Math.round(performance.now() - started),
        error: ok ? null : error,
      });
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'omnichannel-crm-webhooks/1',
          ...headers,
        },
        lookup: guardedLookup(config),
      },
      (response) => {
        const status = response.statusCode ?? null;
        response.on('end', () => finish(status, `HTTP ${status}`));
        response.on('error', () => finish(status, `HTTP ${status}`));
        // The answer's body is not needed: read it away so the socket can be reused.
        response.resume();
      },
    );
    const deadline = setTimeout(() => {
      request.destroy();
      finish(null, `timeout after ${config.timeoutMs} ms`);
    }, config.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish(null, error.code ?? error.message),
    );
    request.on('close', () => clearTimeout(deadline));
    request.end(body);
  });
}

async function recordAttempt(
  orm: MikroORM,
  endpointId: string,
  delivery: DueDelivery,
  result: AttemptResult,
  now: Date,
): Promise<void> {
  const attempts = delivery.attempts + 1;
  const em = orm.em.fork();
  if (result.ok) {
    await rawRows(
      em,
      `update "webhook_delivery" set "status" = 'SUCCEEDED', "attempts" = ?, "next_attempt_at" = null,
         "last_response_code" = ?, "last_latency_ms" = ?, "last_error" = null, "delivered_at" = ?
       where "id" = ?`,
      [attempts, result.status, result.latencyMs, now, delivery.id],
    );
    await rawRows(em, `update "webhook_endpoint" set "consecutive_failures" = 0 where "id" = ?`, [
      endpointId,
    ]);
    return;
  }
  const next = new Date(now.getTime() + retryDelayMs(attempts));
  const givesUp = next >= new Date(delivery.retry_until);
  await rawRows(
    em,
    `update "webhook_delivery" set "status" = ?, "attempts" = ?, "next_attempt_at" = ?,
       "last_response_code" = ?, "last_latency_ms" = ?, "last_error" = ?
     where "id" = ?`,
    [
      givesUp ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING,
      attempts,
      givesUp ? null : next,
      result.status,
      result.latencyMs,
      result.error,
      delivery.id,
    ],
  );
  await rawRows(
    em,
    `update "webhook_endpoint" set "consecutive_failures" = "consecutive_failures" + 1,
       "status" = case when "status" = 'ACTIVE' and "consecutive_failures" + 1 >= ? then 'UNHEALTHY'::webhook_endpoint_status else "status" end
     where "id" = ?`,
    [UNHEALTHY_AFTER_FAILURES, endpointId],
  );
}

export type PumpResult = {
  created: number;
  attempted: number;
  succeeded: number;
  nextDueAt: Date | null;
};

/**
 * One endpoint's work: new log events into deliveries, then every due
 * delivery sent, each order's in log order, a few requests at a time. Pumps
 * of one endpoint may overlap (claims keep them apart); the caller calls
 * again at `nextDueAt`.
 */
export async function pumpEndpoint(
  deps: { orm: MikroORM; sender: WebhookSenderConfig },
  endpointId: string,
  clock: () => Date = () => new Date(),
): Promise<PumpResult> {
  const { orm, sender } = deps;
  const created = await fanOut(orm, endpointId, clock());
  let attempted = 0;
  let succeeded = 0;
  for (;;) {
    const endpoint = await orm.em.fork().findOne(WebhookEndpoint, endpointId);
    if (!endpoint || endpoint.status !== WebhookEndpointStatus.ACTIVE) break;
    const due = await claimDueDeliveries(
      orm.em.fork(),
      endpointId,
      SENDS_PER_ENDPOINT,
      sender.timeoutMs + CLAIM_MARGIN_MS,
    );
    if (due.length === 0) break;
    const secrets = webhookEndpointService.signingSecrets(endpoint, clock());
    await Promise.all(
      due.map(async (delivery) => {
        const timestamp = Math.floor(clock().getTime() / 1000);
        const result = await postDelivery(
          sender,
          endpoint.url,
          {
            'x-webhook-id': delivery.id,
            'x-webhook-timestamp': String(timestamp),
            'x-webhook-signature': webhookSignatureHeader(secrets, timestamp, delivery.body),
          },
          delivery.body,
        );
        attempted += 1;
        if (result.ok) succeeded += 1;
        await recordAttempt(orm, endpointId, delivery, result, clock());
      }),
    );
  }
  const [next] = await rawRows<{ next: Date | null }>(
    orm.em.fork(),
    `select min("next_attempt_at") as "next" from "webhook_delivery"
     where "endpoint_id" = ? and "status" = 'PENDING'`,
    [endpointId],
  );
  return { created, attempted, succeeded, nextDueAt: next?.next ? new Date(next.next) : null };
}

/** Endpoints that may have work: every one not disabled. */
export async function pumpableEndpoints(orm: MikroORM): Promise<string[]> {
  const rows = await rawRows<{ id: string }>(
    orm.em.fork(),
    `select "id" from "webhook_endpoint" where "status" = 'ACTIVE'`,
  );
  return rows.map((row) => row.id);
}

/** Deletes finished deliveries older than the retention; pending ones stay whatever their age. */
export async function purgeOldDeliveries(
  orm: MikroORM,
  retentionDays: number,
  now = new Date(),
): Promise<number> {
  const rows = await rawRows<{ id: string }>(
    orm.em.fork(),
    `delete from "webhook_delivery" where "status" <> 'PENDING' and "created_at" < ? returning "id"`,
    [new Date(now.getTime() - retentionDays * 86_400_000)],
  );
  return rows.length;
}

export type DeliveryFilter = { status?: WebhookDeliveryStatus | null };

export const webhookDeliveryService = {
  async list(
    { em }: RequestScope,
    endpointId: string,
    filter: DeliveryFilter | null | undefined,
    page: PageRequest,
  ): Promise<Page<Row<WebhookDelivery>>> {
    const id = assertId(endpointId, 'endpointId');
    if (!(await em.count(WebhookEndpoint, id))) throw notFound('WebhookEndpoint', id);
    return keysetPage(
      em,
      WebhookDelivery,
      { endpoint: id, ...(filter?.status ? { status: filter.status } : {}) },
      page,
      { field: 'createdAt', direction: 'DESC' },
    );
  },

  /** The same delivery (same X-Webhook-Id) sent again, with a fresh 24-hour retry window. */
  async redeliver(
    { em }: RequestScope,
    bus: EventBus,
    id: string,
    now = new Date(),
  ): Promise<WebhookDelivery> {
    const deliveryId = assertId(id);
    const delivery = await em.findOne(WebhookDelivery, deliveryId);
    if (!delivery) throw notFound('WebhookDelivery', deliveryId);
    delivery.status = WebhookDeliveryStatus.PENDING;
    delivery.nextAttemptAt = now;
    delivery.retryUntil = new Date(now.getTime() + RETRY_WINDOW_MS);
    await em.flush();
    webhookEndpointService.wake(bus, delivery.endpoint.id);
    return delivery;
  },

  /**
   * Every event after `cursor` (an `orderEvents` / delivery cursor) that the
   * endpoint would have received, sent again: existing deliveries keep their
   * ids, events from before the endpoint existed get new ones.
   */
  async redeliverSince(
    { em }: RequestScope,
    bus: EventBus,
    endpointId: string,
    cursor: string,
    now = new Date(),
  ): Promise<number> {
    const id = assertId(endpointId, 'endpointId');
    const after = decodeLogCursor(cursor);
    const queued = await em.fork().transactional(async (tx) => {
      const endpoint = await tx.findOne(WebhookEndpoint, id, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        populate: ['apiKey'],
      });
      if (!endpoint) throw notFound('WebhookEndpoint', id);
      const scope = keyChannelScope(endpoint.apiKey.getEntity());
      if (!scope) throw badInput('endpointId: its API key may no longer read orders', 'endpointId');
      const events = (
        await orderEventLog.readAfter(
          tx,
          after,
          REDELIVER_MAX_EVENTS + 1,
          { statuses: endpoint.events },
          scope,
        )
      ).filter((event) => event.sequence <= endpoint.logPosition);
      if (events.length > REDELIVER_MAX_EVENTS) {
        throw badInput(
          `cursor: more than ${REDELIVER_MAX_EVENTS} events follow it; redeliver in steps from a later cursor`,
          'cursor',
        );
      }
      let count = 0;
      for (let i = 0; i < events.length; i += FAN_OUT_PAGE) {
        const slice = events.slice(i, i + FAN_OUT_PAGE);
        count += await insertDeliveries(tx, endpoint.id, slice, now, 'redeliver');
      }
      return count;
    });
    webhookEndpointService.wake(bus, id);
    return queued;
  },
};
