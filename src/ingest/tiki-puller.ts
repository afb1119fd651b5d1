import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Channel } from '../entities';
import { Platform } from '../entities/enums';
import { platformModules } from '../integrations';
import { isObject } from '../integrations/payload';
import { TIKI_EVENT_FIELDS } from '../integrations/tiki';
import type { TikiQueueClient } from '../integrations/tiki-queue';
import { inboxOf } from '../services/orders/inbound-store';
import { inboundService } from '../services/orders/inbound.service';
import type { ApplyScheduler, Stored } from './apply-scheduler';

export type PullResult = { pulled: number; stored: number; duplicates: number };

/**
 * Tiki's pull-based delivery through the same inbox as the pushes: a batch
 * is stored (deduplicated on its event key) and committed before it is
 * acknowledged, so a crash between the two only brings a redelivery that the
 * inbox drops. One instance pulls at a time (a transaction-scoped advisory
 * lock), which keeps Tiki's in-order delivery in order; the lock's
 * transaction spans the pull request, bounded by the client's timeout. The
 * stored events are applied by the same scheduler as pushes, one order's in
 * the order Tiki delivered them.
 */
export class TikiPuller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: {
      orm: MikroORM;
      client: TikiQueueClient;
      logger: Logger;
      scheduler: ApplyScheduler;
    },
  ) {}

  /** Pulls until the queue is empty, then every `intervalMs`. */
  start(intervalMs: number): void {
    const tick = async () => {
      try {
        for (let batch = await this.pullOnce(); batch.pulled > 0 && !this.stopped;) {
          batch = await this.pullOnce();
        }
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'pulling Tiki events failed; retrying later');
      }
      if (!this.stopped) {
        this.timer = setTimeout(() => {
          this.running = tick();
        }, intervalMs);
      }
    };
    this.running = tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  async pullOnce(): Promise<PullResult> {
    const { orm, client } = this.deps;
    const result: PullResult = { pulled: 0, stored: 0, duplicates: 0 };
    const stored: Stored = { stored: [], orderingKeys: [], events: [] };
    const ackId = await orm.em.fork().transactional(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }[]>(
        `select pg_try_advisory_xact_lock(hashtext('tiki-event-queue')) as "locked"`,
      );
      if (!lock?.locked) return null;
      const batch = await client.pull();
      result.pulled = batch.events.length;
      const soleSeller = await this.soleTikiSeller(tx);
      for (const event of batch.events) {
        const body = Buffer.from(JSON.stringify(withSeller(event, soleSeller)), 'utf8');
        const received = await inboundService.receive(inboxOf(tx), platformModules.tiki, {
          rawBody: body,
          headers: {},
        });
        stored.stored.push(...received.stored);
        stored.orderingKeys.push(...received.orderingKeys);
        stored.events.push(...received.events);
        result.duplicates += received.duplicates;
      }
      return batch.ackId;
    });
    result.stored = stored.stored.length;
    if (ackId) await client.ack(ackId);
    await this.deps.scheduler.schedule(stored);
    return result;
  }

  /**
   * Whether Tiki names the seller in an event is unverified; with a single
   * connected Tiki shop the queue can only be serving that one.
   */
  private async soleTikiSeller(em: EntityManager): Promise<string | null> {
    const channels = await em.find(
      Channel,
      { platform: Platform.TIKI },
      { fields: ['externalShopId'], limit: 2 },
    );
    return channels.length === 1 ? channels[0]!.externalShopId : null;
  }
}

function withSeller(event: unknown, soleSeller: string | null): unknown {
  if (!isObject(event) || soleSeller === null) return event;
  const named = TIKI_EVENT_FIELDS.sellerId.some((key) => event[key] !== undefined);
  return named ? event : { ...event, seller_id: soleSeller };
}
