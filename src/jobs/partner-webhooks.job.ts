import type { MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { PartnerWebhookConfig } from '../config';
import { TOPICS, type PartnerWebhooksDueEvent } from '../kernel/topics';
import type { EventBus } from '../realtime/event-bus';
import {
  pumpableEndpoints,
  pumpEndpoint,
  purgeOldDeliveries,
} from '../services/webhooks/webhook-delivery.service';
import type { JobPayloads } from './job-map';

/**
 * Pump jobs per endpoint. A wake-up waits at most once per endpoint
 * (`short` + singletonKey = endpoint id); a retry is its own job at its due
 * time, so a retry waiting hours never holds up a new event. Pumps may
 * overlap (each delivery is claimed before it is sent), so a job left
 * active by a killed process holds nothing up, which a `stately` or
 * `singleton` queue would until the job expired.
 */
export const PARTNER_WEBHOOK_QUEUE = {
  name: 'partner-webhook',
  policy: 'short',
  retryLimit: 5,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 900,
} as const satisfies PgBoss.Queue;

export const PARTNER_WEBHOOK_WORKERS = 4;
/** Polled often: partners expect an event within a second or two. */
export const PARTNER_WEBHOOK_POLLING_SECONDS = 0.5;
/** Every minute: endpoints whose retries fell due, and anything a stopped process left. */
export const partnerWebhookSweepSchedule = '* * * * *';
export const partnerWebhookRetentionSchedule = '40 3 * * *';
/** Order changes arrive in bursts: one wake-up per burst. */
const WAKE_DEBOUNCE_MS = 100;

async function enqueuePump(boss: PgBoss, endpointId: string, startAfter?: Date): Promise<void> {
  const payload: JobPayloads['partner-webhook'] = { endpointId };
  await boss.send(PARTNER_WEBHOOK_QUEUE.name, payload, {
    singletonKey: startAfter
      ? `${endpointId}@${Math.ceil(startAfter.getTime() / 1000)}`
      : endpointId,
    ...(startAfter ? { startAfter } : {}),
  });
}

export async function enqueueAllPumps(deps: { orm: MikroORM; boss: PgBoss }): Promise<number> {
  const ids = await pumpableEndpoints(deps.orm);
  await Promise.all(ids.map((id) => enqueuePump(deps.boss, id)));
  return ids.length;
}

export async function runPartnerWebhookPump(
  deps: { orm: MikroORM; boss: PgBoss; config: PartnerWebhookConfig; logger: Logger },
  payload: JobPayloads['partner-webhook'],
): Promise<void> {
  const result = await pumpEndpoint({ orm: deps.orm, sender: deps.config }, payload.endpointId);
  if (result.attempted > 0) {
    deps.logger.debug({ endpointId: payload.endpointId, ...result }, 'partner webhooks sent');
  }
  if (result.nextDueAt) {
    await enqueuePump(deps.boss, payload.endpointId, result.nextDueAt);
  }
}

/**
 * Registers the workers and schedules, and wakes the pumps when orders change
 * (ORDER_CHANGED crosses instances on the Redis bus) or an admin asks for a
 * redelivery. Returns the function that stops listening.
 */
export async function startPartnerWebhooks(deps: {
  boss: PgBoss;
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  config: PartnerWebhookConfig;
  tz: string;
}): Promise<() => void> {
  const { boss, orm, bus, logger, config, tz } = deps;
  for (let i = 0; i < PARTNER_WEBHOOK_WORKERS; i += 1) {
    await boss.work<JobPayloads['partner-webhook']>(
      PARTNER_WEBHOOK_QUEUE.name,
      { pollingIntervalSeconds: PARTNER_WEBHOOK_POLLING_SECONDS },
      async ([job]) => {
        if (job) await runPartnerWebhookPump({ orm, boss, config, logger }, job.data);
      },
    );
  }
  await boss.work('partner-webhook-sweep', async () => {
    await enqueueAllPumps({ orm, boss });
  });
  await boss.schedule('partner-webhook-sweep', partnerWebhookSweepSchedule, {}, { tz });
  await boss.work('partner-webhook-retention', async () => {
    const deleted = await purgeOldDeliveries(orm, config.retentionDays);
    if (deleted > 0) logger.info({ deleted }, 'old partner webhook deliveries deleted');
  });
  await boss.schedule('partner-webhook-retention', partnerWebhookRetentionSchedule, {}, { tz });

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const wakeAll = () => {
    if (timer || stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      enqueueAllPumps({ orm, boss }).catch((error: unknown) =>
        logger.warn({ err: error }, 'partner webhooks: could not queue the pumps'),
      );
    }, WAKE_DEBOUNCE_MS);
  };
  const listen = async (topic: string, onEvent: (payload: unknown) => void) => {
    const events = bus.subscribe(topic)[Symbol.asyncIterator]();
    stopListening.push(() => void events.return?.());
    for (;;) {
      const next = await events.next();
      if (next.done || stopped) return;
      onEvent(next.value);
    }
  };
  const stopListening: (() => void)[] = [];
  void listen(TOPICS.orderChanged, wakeAll);
  void listen(TOPICS.partnerWebhooksDue, (payload) => {
    const { endpointId } = payload as PartnerWebhooksDueEvent;
    enqueuePump(boss, endpointId).catch((error: unknown) =>
      logger.warn({ err: error, endpointId }, 'partner webhooks: could not queue the pump'),
    );
  });
  // What a stopped or killed process left: sent from now on, not at the next sweep.
  await enqueueAllPumps({ orm, boss });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const stop of stopListening) stop();
  };
}
