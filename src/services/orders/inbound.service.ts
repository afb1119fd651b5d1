import { createHash } from 'node:crypto';
import {
  LockMode,
  UniqueConstraintViolationException,
  type EntityManager,
  type FilterQuery,
  type MikroORM,
} from '@mikro-orm/postgresql';
import { Channel, InboundEvent, Order, OrderStatusEvent } from '../../entities';
import { InboundEventStatus, Platform } from '../../entities/enums';
import { chatMessageOf } from '../../integrations/chat';
import {
  isChatEventKey,
  type ChatNormalizer,
  type InboundChatMessage,
} from '../../integrations/chat-types';
import { PlatformRejected, type OrderDetail } from '../../integrations/order-api';
import { decideTransition } from '../../integrations/order-lattice';
import { namedShop } from '../../integrations/payload';
import {
  PayloadError,
  type NormalizedOrderEvent,
  type PlatformModule,
} from '../../integrations/types';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS, type OrderChangedEvent, type TicketChangedEvent } from '../../kernel/topics';
import type { ChatApplier } from '../conversations/conversation-inbox.service';
import { assertId, notFound } from '../../kernel/errors';
import {
  applyDetail,
  channelWithCredentials,
  fetchDetail,
  type DetailApplied,
  type OrderSync,
} from './order-enrichment.service';
import { mergeFlags } from './order-flags';
import { emptyPage, keysetPage, type Page, type PageRequest } from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';
import { applyInboundBatch, applyKnownEvents } from './inbound-batch';
import type { InboxStore } from '../conversations/inbox-writer';
import { afterOrderMilestone } from '../tickets/ticket-automation';
import { settleMarketplacePayments } from './payments';

/** Headers worth keeping with a push: enough to re-verify or debug it, nothing personal. */
const KEPT_HEADERS = /^(content-type|user-agent|authorization|x-[\w-]+)$/i;

/** A push body already parsed by the caller, so it is not parsed again. */
export type ParsedPayload = { value: unknown };

export type ReceiveResult = {
  stored: string[];
  /**
   * For each stored id, what it must be applied in order with: its order, or
   * its chat thread. Events with the same key are applied one after another.
   */
  orderingKeys: string[];
  /** For each stored id, the order event it holds (undefined for a chat message). */
  events: (NormalizedOrderEvent | undefined)[];
  duplicates: number;
  deadLetters: number;
};

export type ApplyResult = 'applied' | 'skipped' | 'failed' | 'dead';

/**
 * The webhook inbox (DESIGN "How data flows"): a verified push is stored
 * before it is acknowledged, one row per normalized event, unique on
 * (platform, event key), so a redelivery is a no-op; applying happens after
 * the answer, and a failed apply is retried until it becomes a dead letter.
 */
export const inboundService = {
  async receive(
    /** The webhook route passes its group-committing writer; others `inboxOf(em)`. */
    store: InboxStore,
    module: PlatformModule,
    rawBody: Buffer,
    headers: Record<string, string | undefined>,
    /** The body as JSON when the caller parsed it already. */
    parsed?: ParsedPayload,
  ): Promise<ReceiveResult> {
    // A marketplace push is either order events or chat messages (IM); both go to the inbox.
    return receiveKeyed(module.platform, rawBody, headers, store, parsed, (payload) => [
      ...module.normalize(payload).map((event) => ({
        eventKey: event.eventKey,
        shopId: event.shopId,
        orderingKey: `${event.shopId}:${event.externalOrderId}`,
        event,
      })),
      ...chatEntries(module.normalizeChat?.(payload) ?? []),
    ]);
  },

  /** A messaging platform's push (Messenger, Zalo OA): one inbox row per buyer message. */
  async receiveChat(
    store: InboxStore,
    platform: Platform,
    normalize: ChatNormalizer,
    rawBody: Buffer,
    headers: Record<string, string | undefined>,
  ): Promise<ReceiveResult> {
    return receiveKeyed(platform, rawBody, headers, store, undefined, (payload) =>
      chatEntries(normalize(payload)),
    );
  },

  /**
   * Applies one stored event exactly once: the row is locked (SKIP LOCKED, so
   * a concurrent worker moves on) and marked APPLIED in the same transaction
   * as the order change. Events are published after commit.
   *
   * With `sync`, an order the event creates (or asks to re-read) gets an
   * enrich-order job in the same transaction, and an unsigned (Sendo) event
   * is first confirmed by fetching the order. Without it Sendo events fail
   * and wait: they are never trusted as pushed.
   */
  async apply(
    orm: MikroORM,
    bus: EventBus,
    modules: Readonly<Record<string, PlatformModule>>,
    id: string,
    maxAttempts: number,
    sync?: OrderSync,
    /** Applies chat messages; without it a chat event fails and waits for a caller that has it. */
    chat?: ChatApplier,
  ): Promise<ApplyResult> {
    let confirmation: Confirmation | undefined;
    // Two first events of one order can race to create it; the loser finds it on the next try.
    for (let attempt = 1; ; attempt += 1) {
      try {
        // Before the transaction: no row lock or open transaction waits on the platform.
        confirmation ??= await confirmUnsigned(orm, modules, id, sync);
        if (confirmation.kind === 'rejected') return deadLetter(orm, id, confirmation.reason);
        return await applyOnce(orm, bus, modules, id, sync, confirmation.detail, chat);
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException) || attempt >= 3) {
          return recordFailure(orm, id, error, maxAttempts);
        }
      }
    }
  },

  /**
   * Applies many stored events: a set-based batch path first (the unlocked
   * one for events the caller parsed already, else the locked one), then one
   * by one whatever it left (or everything, when the batch failed as a
   * whole; each event then succeeds or records its own failure).
   */
  async applyMany(
    orm: MikroORM,
    bus: EventBus,
    modules: Readonly<Record<string, PlatformModule>>,
    ids: readonly string[],
    maxAttempts: number,
    sync?: OrderSync,
    chat?: ChatApplier,
    /** The order events of `ids` as the receiving route parsed them, by id. */
    known?: ReadonlyMap<string, NormalizedOrderEvent>,
  ): Promise<void> {
    let oneByOne: readonly string[] = ids;
    try {
      const parsed = ids.flatMap((id) => {
        const event = known?.get(id);
        return event ? [{ inboxId: id, event }] : [];
      });
      const unlocked = parsed.length > 0 ? await applyKnownEvents(orm, bus, parsed, sync) : null;
      if (unlocked) {
        const rest = ids.filter((id) => !known?.has(id));
        oneByOne = [
          ...unlocked.leftovers,
          ...(rest.length > 0
            ? (await applyInboundBatch(orm, bus, modules, rest, sync)).leftovers
            : []),
        ];
      } else {
        oneByOne = (await applyInboundBatch(orm, bus, modules, ids, sync)).leftovers;
      }
    } catch {
      // Deliberately quiet: the one-by-one path records the real error per event.
    }
    for (const id of oneByOne) {
      await inboundService.apply(orm, bus, modules, id, maxAttempts, sync, chat);
    }
  },

  async list(
    { em }: RequestScope,
    filter: { platforms?: Platform[] | null; statuses?: InboundEventStatus[] | null },
    page: PageRequest,
  ): Promise<Page<InboundEvent>> {
    const where: FilterQuery<InboundEvent> & Record<string, unknown> = {};
    if (filter.platforms?.length) where.platform = { $in: filter.platforms };
    if (filter.statuses?.length) where.status = { $in: filter.statuses };
    if (filter.platforms && filter.platforms.length === 0) return emptyPage(page);
    return keysetPage(em, InboundEvent, where, page, { field: 'receivedAt', direction: 'DESC' });
  },

  /** Puts a failed or dead event back in the queue; applying stays exactly-once. */
  async requeue({ em }: RequestScope, id: string): Promise<InboundEvent> {
    // One conditional update: an event a worker is applying right now is not touched.
    await em.execute(
      `update "inbound_event" set "status" = 'RECEIVED', "attempts" = 0
       where "id" = ? and "status" in ('DEAD', 'FAILED')`,
      [assertId(id)],
    );
    const inbound = await em.fork().findOne(InboundEvent, { id });
    if (!inbound) throw notFound('InboundEvent', id);
    return inbound;
  },

  /** Ids waiting to be applied: new ones after a crash, failed ones whose backoff has passed. */
  async due(em: EntityManager, now = new Date(), limit = 500): Promise<string[]> {
    const rows = await em.execute<{ id: string }[]>(
      `select "id" from "inbound_event"
       where ("status" = 'RECEIVED' and "received_at" < ?)
          or ("status" = 'FAILED' and "processed_at" + (interval '5 seconds' * power(2, least("attempts", 12))) < ?)
       order by "received_at" limit ?`,
      [new Date(now.getTime() - 10_000), now, limit],
    );
    return rows.map((row) => row.id);
  },
};

/** What the inbox keeps of a normalized event: its key and shop. */
type InboxEntry = {
  eventKey: string;
  shopId: string | undefined;
  orderingKey: string;
  event?: NormalizedOrderEvent;
};

/**
 * Echoes (the shop's own messages coming back) are not stored: the inbox
 * shows what buyers wrote and what was sent from here.
 */
function chatEntries(messages: InboundChatMessage[]): InboxEntry[] {
  return messages
    .filter((message) => !message.echo)
    .map((message) => ({
      eventKey: message.eventKey,
      shopId: message.channelExternalId,
      orderingKey: `${message.channelExternalId}:${message.threadId}`,
    }));
}

async function receiveKeyed(
  platform: Platform,
  rawBody: Buffer,
  headers: Record<string, string | undefined>,
  store: InboxStore,
  parsed: ParsedPayload | undefined,
  entriesOf: (payload: unknown) => InboxEntry[],
): Promise<ReceiveResult> {
  const kept = Object.fromEntries(
    Object.entries(headers).filter(
      (entry): entry is [string, string] =>
        KEPT_HEADERS.test(entry[0]) && typeof entry[1] === 'string',
    ),
  );
  const body = rawBody.toString('utf8');
  let entries: InboxEntry[];
  let payload: unknown;
  try {
    payload = parsed ? parsed.value : JSON.parse(body);
    entries = entriesOf(payload);
  } catch (error) {
    if (!(error instanceof PayloadError) && !(error instanceof SyntaxError)) throw error;
    // Verified but unreadable: keep it as a dead letter with the reason, never retry it blindly.
    const [stored] = await store([
      {
        platform,
        eventKey: `invalid:${createHash('sha256').update(rawBody).digest('hex')}`,
        shopId: namedShop(payload),
        headers: kept,
        rawBody: body,
        status: InboundEventStatus.DEAD,
        lastError: `payload rejected: ${error.message}`,
      },
    ]);
    return {
      stored: [],
      orderingKeys: [],
      events: [],
      duplicates: stored ? 0 : 1,
      deadLetters: stored ? 1 : 0,
    };
  }
  const ids = await store(
    entries.map((entry) => ({
      platform,
      eventKey: entry.eventKey,
      shopId: entry.shopId,
      headers: kept,
      rawBody: body,
      status: InboundEventStatus.RECEIVED,
    })),
  );
  const stored: string[] = [];
  const orderingKeys: string[] = [];
  const events: (NormalizedOrderEvent | undefined)[] = [];
  ids.forEach((id, index) => {
    if (id === null) return;
    stored.push(id);
    orderingKeys.push(`${platform}:${entries[index]!.orderingKey}`);
    events.push(entries[index]!.event);
  });
  return { stored, orderingKeys, events, duplicates: ids.length - stored.length, deadLetters: 0 };
}

/** The normalized event a stored push row stands for. */
function eventOf(
  modules: Readonly<Record<string, PlatformModule>>,
  inbound: InboundEvent,
): NormalizedOrderEvent {
  const module = modules[inbound.platform.toLowerCase()];
  if (!module) throw new Error(`no module for ${inbound.platform}`);
  const event = module
    .normalize(JSON.parse(inbound.rawBody))
    .find((candidate) => candidate.eventKey === inbound.eventKey);
  if (!event) throw new Error(`the stored push no longer yields event ${inbound.eventKey}`);
  return event;
}

type Confirmation =
  | { kind: 'not-needed'; detail?: undefined }
  | { kind: 'confirmed'; detail: OrderDetail }
  | { kind: 'rejected'; reason: string };

/**
 * Sendo signs nothing (a shop key is all a push proves), so its events are
 * confirmed by reading the order from Sendo with our own token, and the
 * detail, not the push, is applied. The platform saying the order does not
 * exist dead-letters the event; the platform being down throws, and the
 * event is retried with backoff like any failed apply.
 */
async function confirmUnsigned(
  orm: MikroORM,
  modules: Readonly<Record<string, PlatformModule>>,
  id: string,
  sync: OrderSync | undefined,
): Promise<Confirmation> {
  const em = orm.em.fork();
  const inbound = await em.findOne(InboundEvent, {
    id,
    status: { $in: [InboundEventStatus.RECEIVED, InboundEventStatus.FAILED] },
  });
  if (inbound?.platform !== Platform.SENDO) return { kind: 'not-needed' };
  const event = eventOf(modules, inbound);
  if (!sync)
    throw new Error('Sendo events must be confirmed through the order API, not set up here');
  const channel = await em.findOne(Channel, {
    platform: event.platform,
    externalShopId: event.shopId,
  });
  if (!channel) throw new Error(`no connected ${event.platform} channel for shop ${event.shopId}`);
  try {
    const detail = await fetchDetail(
      sync.clients,
      await channelWithCredentials(em, channel.id),
      event.externalOrderId,
    );
    if (detail.externalId !== event.externalOrderId) {
      return {
        kind: 'rejected',
        reason: `Sendo returned order ${detail.externalId} for ${event.externalOrderId}`,
      };
    }
    return { kind: 'confirmed', detail };
  } catch (error) {
    if (!(error instanceof PlatformRejected)) throw error;
    return {
      kind: 'rejected',
      reason: `not confirmed by Sendo: order ${event.externalOrderId}: ${error.message}`,
    };
  }
}

/** The pushed event with what the platform says now: its status, flags and status time. */
function confirmedEvent(pushed: NormalizedOrderEvent, detail: OrderDetail): NormalizedOrderEvent {
  return {
    ...pushed,
    rawStatus: detail.rawStatus,
    status: detail.status,
    flags: detail.flags,
    revert: false,
    refetch: false,
    eventTime: detail.statusTime,
  };
}

async function applyOnce(
  orm: MikroORM,
  bus: EventBus,
  modules: Readonly<Record<string, PlatformModule>>,
  id: string,
  sync: OrderSync | undefined,
  confirmed: OrderDetail | undefined,
  chat: ChatApplier | undefined,
): Promise<ApplyResult> {
  const published: (() => void)[] = [];
  const outcome = await orm.em.fork().transactional(async (tx) => {
    const inbound = await tx.findOne(
      InboundEvent,
      { id, status: { $in: [InboundEventStatus.RECEIVED, InboundEventStatus.FAILED] } },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
    );
    if (!inbound) return 'skipped' as const;
    if (isChatEventKey(inbound.eventKey)) {
      if (!chat) throw new Error('chat messages are applied by the conversation inbox');
      const message = chatMessageOf(inbound.platform, inbound.rawBody, inbound.eventKey);
      published.push(await chat.applyMessage(tx, message));
      inbound.status = InboundEventStatus.APPLIED;
      inbound.attempts += 1;
      inbound.processedAt = new Date();
      inbound.lastError = undefined;
      return 'applied' as const;
    }
    const pushed = eventOf(modules, inbound);
    const event = confirmed ? confirmedEvent(pushed, confirmed) : pushed;
    const change = await applyOrderEvent(tx, event);
    let detail: DetailApplied | null = null;
    if (change.orderId && confirmed) {
      const order = await tx.findOneOrFail(Order, change.orderId);
      detail = await applyDetail(
        tx,
        order,
        confirmed,
        await tx.findOneOrFail(Channel, order.channel.id),
      );
    } else if (change.orderId && change.needsDetail) {
      // Same transaction: the job exists exactly when the order change does.
      await sync?.queue?.enqueue(tx, change.orderId);
    }
    inbound.status = InboundEventStatus.APPLIED;
    inbound.attempts += 1;
    inbound.processedAt = new Date();
    inbound.lastError = undefined;
    if (change.orderId && (change.changed || detail)) {
      const orderId = change.orderId;
      published.push(() =>
        bus.publish(TOPICS.orderChanged, { orderId } satisfies OrderChangedEvent),
      );
    }
    for (const ticketId of [...change.ticketIds, ...(detail?.ticketIds ?? [])]) {
      published.push(() =>
        bus.publish(TOPICS.ticketChanged, {
          ticketId,
          action: 'CREATED',
          changedFields: ['status'],
        } satisfies TicketChangedEvent),
      );
    }
    return 'applied' as const;
  });
  for (const publish of published) publish();
  return outcome;
}

async function deadLetter(orm: MikroORM, id: string, reason: string): Promise<ApplyResult> {
  await orm.em.fork().execute(
    `update "inbound_event"
     set "attempts" = "attempts" + 1, "last_error" = ?, "processed_at" = now(), "status" = 'DEAD'
     where "id" = ? and "status" in ('RECEIVED', 'FAILED')`,
    [reason.slice(0, 2_000), id],
  );
  return 'dead';
}

async function recordFailure(
  orm: MikroORM,
  id: string,
  error: unknown,
  maxAttempts: number,
): Promise<ApplyResult> {
  const message = error instanceof Error ? error.message : String(error);
  const rows = await orm.em.fork().execute<{ status: InboundEventStatus }[]>(
    `update "inbound_event"
     set "attempts" = "attempts" + 1, "last_error" = ?, "processed_at" = now(),
         "status" = case when "attempts" + 1 >= ? then 'DEAD'::inbound_event_status else 'FAILED'::inbound_event_status end
     where "id" = ? and "status" in ('RECEIVED', 'FAILED')
     returning "status"`,
    [message.slice(0, 2_000), maxAttempts, id],
  );
  return rows[0]?.status === InboundEventStatus.DEAD ? 'dead' : 'failed';
}

/**
 * Upserts the order and walks the status lattice: a late or repeated event
 * is recorded in the history but never moves the order backwards.
 */
async function applyOrderEvent(
  em: EntityManager,
  event: NormalizedOrderEvent,
): Promise<{
  orderId: string | null;
  changed: boolean;
  needsDetail: boolean;
  ticketIds: string[];
}> {
  const channel = await em.findOne(Channel, {
    platform: event.platform,
    externalShopId: event.shopId,
  });
  if (!channel) throw new Error(`no connected ${event.platform} channel for shop ${event.shopId}`);
  let order = await em.findOne(
    Order,
    { platform: event.platform, shopId: event.shopId, externalId: event.externalOrderId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  const decision = decideTransition(
    { status: order?.status ?? null, statusSourceTime: order?.statusSourceTime ?? null },
    { status: event.status, eventTime: event.eventTime, revert: event.revert },
  );
  let changed = false;
  switch (decision.kind) {
    case 'create':
      // A flag for an order not seen yet: fail, so the retry applies it once the order exists.
      if (!event.status) {
        throw new Error(
          `order ${event.externalOrderId} is not known yet; ${event.rawStatus} waits for it`,
        );
      }
      // Pushes carry an id and a status; amounts, items and buyer come with the order detail.
      order = em.create(Order, {
        platform: event.platform,
        channel,
        shopId: event.shopId,
        externalId: event.externalOrderId,
        status: event.status,
        rawStatus: event.rawStatus,
        flags: mergeFlags({}, event.flags, event.eventTime),
        statusSourceTime: event.eventTime,
        subtotal: 0,
        total: 0,
        placedAt: event.eventTime,
        platformUpdatedAt: event.eventTime,
      });
      changed = true;
      break;
    case 'apply':
      order!.status = event.status!;
      order!.rawStatus = event.rawStatus;
      order!.statusSourceTime = event.eventTime;
      order!.platformUpdatedAt = event.eventTime;
      order!.flags = mergeFlags(order!.flags, event.flags, event.eventTime);
      changed = true;
      break;
    case 'same': {
      const flags = mergeFlags(order!.flags, event.flags, event.eventTime);
      changed = JSON.stringify(flags) !== JSON.stringify(order!.flags);
      order!.flags = flags;
      break;
    }
    case 'stale':
    case 'anomaly':
      break;
  }
  if (!order) return { orderId: null, changed: false, needsDetail: false, ticketIds: [] };
  // A new order has no amounts yet; a stale-but-newer or anomalous event may
  // mean the platform reworked the order (platforms.md 9.3); some events say
  // only the detail can be trusted (refetch).
  const needsDetail =
    decision.kind === 'create' ||
    decision.kind === 'anomaly' ||
    (decision.kind === 'stale' && decision.refetch) ||
    event.refetch === true;
  em.create(OrderStatusEvent, {
    order,
    rawStatus: event.rawStatus,
    status: event.status ?? undefined,
    applied: decision.kind === 'create' || decision.kind === 'apply',
    eventTime: event.eventTime,
    eventKey: event.eventKey,
  });
  await em.flush();
  const ticket = changed ? await afterOrderMilestone(em, order) : null;
  const paid = changed ? await settleMarketplacePayments(em, [order.id]) : [];
  const ticketIds = [...(ticket ? [ticket.id] : []), ...paid.map((t) => t.id)];
  return { orderId: order.id, changed, needsDetail, ticketIds };
}
