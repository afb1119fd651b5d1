import { createHash } from 'node:crypto';
import {
  LockMode,
  UniqueConstraintViolationException,
  type EntityManager,
  type FilterQuery,
  type MikroORM,
} from '@mikro-orm/postgresql';
import { Channel, InboundEvent } from '../../entities';
import { InboundEventStatus, Platform } from '../../entities/enums';
import { chatMessageOf } from '../../integrations/chat';
import {
  isChatEventKey,
  type ChatNormalizer,
  type InboundChatMessage,
} from '../../integrations/chat-types';
import { PlatformRejected, type OrderDetail } from '../../integrations/order-api';
import { namedShop } from '../../integrations/payload';
import {
  PayloadError,
  type NormalizedOrderEvent,
  type PlatformModule,
} from '../../integrations/types';
import type { EventBus } from '../../realtime/event-bus';
import type { ChatApplier } from '../conversations/conversation-inbox.service';
import { assertId, notFound } from '../../kernel/errors';
import { channelWithCredentials, fetchDetail, type OrderSync } from './order-enrichment.service';
import { emptyPage, keysetPage, type Page, type PageRequest } from '../shared/keyset';
import type { RequestScope } from '../../kernel/request-scope';
import type { InboxStore } from './inbound-store';
import { applyOrderEvents, OrderCreatedConcurrently, storedEvent } from './order-apply';

/** Headers worth keeping with a push: enough to re-verify or debug it, nothing personal. */
const KEPT_HEADERS = /^(content-type|user-agent|authorization|x-[\w-]+)$/i;

/** A push body already parsed by the caller, so it is not parsed again. */
export type ParsedPayload = { value: unknown };

/** What a push is read into: a marketplace module, or a messaging platform's chat normalizer. */
export type InboxSource = {
  platform: Platform;
  normalize?: (payload: unknown) => NormalizedOrderEvent[];
  normalizeChat?: ChatNormalizer;
};

export type ReceivedPush = {
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
  /** The body as JSON when the caller parsed it already. */
  parsed?: ParsedPayload;
};

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

/** What applying stored events needs, whichever path asks (scheduler, retry job, replay). */
export type InboundApplyDeps = {
  orm: MikroORM;
  bus: EventBus;
  modules: Readonly<Record<string, PlatformModule>>;
  /** Failed attempts after which an event is a dead letter. */
  maxAttempts: number;
  /**
   * Confirms unsigned (Sendo) events through the order API and queues
   * enrichment. Without it Sendo events fail and wait: they are never
   * trusted as pushed; new orders are then found by the enrichment sweep.
   */
  sync?: OrderSync;
  /** Applies chat messages; without it a chat event fails and waits for a caller that has it. */
  chat?: ChatApplier;
};

/**
 * The webhook inbox (DESIGN "How data flows"): a verified push is stored
 * before it is acknowledged, one row per normalized event, unique on
 * (platform, event key), so a redelivery is a no-op; applying happens after
 * the answer, and a failed apply is retried until it becomes a dead letter.
 */
export const inboundService = {
  /**
   * Stores a verified push, one row per order event and per buyer message
   * (a marketplace push is either; Messenger and Zalo pushes are messages).
   * The webhook route passes its group-committing writer; others `inboxOf(em)`.
   */
  async receive(
    store: InboxStore,
    source: InboxSource,
    push: ReceivedPush,
  ): Promise<ReceiveResult> {
    return receiveKeyed(store, source.platform, push, (payload) => [
      ...(source.normalize?.(payload) ?? []).map((event) => ({
        eventKey: event.eventKey,
        shopId: event.shopId,
        orderingKey: `${event.shopId}:${event.externalOrderId}`,
        event,
      })),
      ...chatEntries(source.normalizeChat?.(payload) ?? []),
    ]);
  },

  /**
   * Applies one stored event exactly once, in a transaction of its own that
   * locks the row (SKIP LOCKED, so a concurrent worker moves on) and marks it
   * APPLIED with the change it makes; a failure is recorded on the row and
   * retried with backoff until it is a dead letter. An unsigned (Sendo) event
   * is first confirmed by fetching the order, before any transaction is open.
   */
  async apply(deps: InboundApplyDeps, id: string): Promise<ApplyResult> {
    const { orm } = deps;
    let confirmation: Confirmation | undefined;
    // Two first events of one order can race to create it; the loser finds it on the next try.
    for (let attempt = 1; ; attempt += 1) {
      try {
        confirmation ??= await confirmUnsigned(deps, id);
        if (confirmation.kind === 'rejected') return deadLetter(orm, id, confirmation.reason);
        if (confirmation.kind === 'chat') return await applyChat(deps, id);
        const { applied, refused } = await applyOrderEvents(orm, deps, [
          { inboxId: id, confirmed: confirmation.detail },
        ]);
        if (refused[0]) throw new Error(refused[0].reason);
        return applied.length > 0 ? 'applied' : 'skipped';
      } catch (error) {
        const concurrent =
          error instanceof UniqueConstraintViolationException ||
          error instanceof OrderCreatedConcurrently;
        if (!concurrent || attempt >= 3) return recordFailure(orm, id, error, deps.maxAttempts);
      }
    }
  },

  /**
   * Applies many stored order events: one batch (order-apply.ts) first, then
   * one by one whatever it could not apply alone (or everything, when the
   * batch failed as a whole; each event then succeeds or records its own
   * failure).
   */
  async applyMany(
    options: InboundApplyDeps & {
      ids: readonly string[];
      /** The order events of `ids` as the receiver parsed them, by id, so they are not read back. */
      known?: ReadonlyMap<string, NormalizedOrderEvent>;
    },
  ): Promise<void> {
    const { ids, known } = options;
    let oneByOne: readonly string[] = ids;
    try {
      const { refused } = await applyOrderEvents(
        options.orm,
        options,
        ids.map((inboxId) => ({ inboxId, event: known?.get(inboxId) })),
      );
      oneByOne = refused.map(({ inboxId }) => inboxId);
    } catch {
      // Deliberately quiet: the one-by-one path records the real error per event.
    }
    for (const id of oneByOne) await inboundService.apply(options, id);
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
  store: InboxStore,
  platform: Platform,
  { rawBody, headers, parsed }: ReceivedPush,
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

type Confirmation =
  | { kind: 'not-needed'; detail?: undefined }
  | { kind: 'chat' }
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
  { orm, modules, sync }: InboundApplyDeps,
  id: string,
): Promise<Confirmation> {
  const em = orm.em.fork();
  const inbound = await em.findOne(
    InboundEvent,
    { id, status: { $in: [InboundEventStatus.RECEIVED, InboundEventStatus.FAILED] } },
    { fields: ['platform', 'eventKey', 'rawBody'] },
  );
  if (inbound && isChatEventKey(inbound.eventKey)) return { kind: 'chat' };
  if (inbound?.platform !== Platform.SENDO) return { kind: 'not-needed' };
  const event = storedEvent(modules, inbound);
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

/** A stored chat message, applied by the conversation inbox in the transaction that marks it. */
async function applyChat({ orm, chat }: InboundApplyDeps, id: string): Promise<ApplyResult> {
  const published: (() => void)[] = [];
  const outcome = await orm.em.fork().transactional(async (tx) => {
    const inbound = await tx.findOne(
      InboundEvent,
      { id, status: { $in: [InboundEventStatus.RECEIVED, InboundEventStatus.FAILED] } },
      { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
    );
    if (!inbound) return 'skipped' as const;
    if (!chat) throw new Error('chat messages are applied by the conversation inbox');
    const message = chatMessageOf(inbound.platform, inbound.rawBody, inbound.eventKey);
    published.push(await chat.applyMessage(tx, message));
    inbound.status = InboundEventStatus.APPLIED;
    inbound.attempts += 1;
    inbound.processedAt = new Date();
    inbound.lastError = undefined;
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
