import type { MikroORM } from '@mikro-orm/postgresql';
import { withAdvisoryLock } from '../db/advisory-lock';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { JOB_NAMES, type JobName, type JobPayloads } from './job-map';
import type { EventBus } from '../realtime/event-bus';
import { birthdayTicketsSchedule, runBirthdayTickets } from './birthday-tickets.job';
import { channelTokenAlertsSchedule, runChannelTokenAlerts } from './channel-token-alerts.job';
import {
  compactReportSummaries,
  compactReportSummariesSchedule,
} from './compact-report-summaries.job';
import { markMissedTickets, markMissedTicketsSchedule } from './mark-missed-tickets.job';
import { remindDueTickets, remindDueTicketsSchedule } from './remind-due-tickets.job';
import { reconcilePayments, reconcilePaymentsSchedule } from './reconcile-payments.job';
import { retryInboundEvents, retryInboundEventsSchedule } from './retry-inbound-events.job';
import type { MessagingConfig, OAuthConfig, PartnerWebhookConfig, PlatformConfig } from '../config';
import { createOAuthClients } from '../integrations/oauth';
import {
  refreshChannelTokensSchedule,
  runRefreshChannelTokens,
} from './refresh-channel-tokens.job';
import { createChatSenders } from '../integrations/send';
import { channelTokenRenewer } from '../services/channels/channel-token.service';
import { createRateLimiter } from '../rate-limit';
import type {
  ConversationBot,
  OutboundDelivery,
} from '../services/conversations/conversation-contracts';
import { createConversationInbox } from '../services/conversations/conversation-inbox.service';
import {
  pgBossOutboundDelivery,
  runSendMessage,
  SEND_MESSAGE_POLLING_SECONDS,
  SEND_MESSAGE_QUEUE,
  SEND_MESSAGE_WORKERS,
  sweepPendingMessages,
  sweepPendingMessagesSchedule,
} from './send-message.job';
import { createOrderApiClients } from '../integrations/order-api';
import type { OrderSync } from '../services/orders/order-enrichment.service';
import {
  ENRICH_ORDER_QUEUE,
  ENRICH_ORDER_WORKERS,
  pgBossEnrichmentQueue,
  detailRejectionSummary,
  runEnrichOrder,
  sweepUnenrichedOrders,
  sweepUnenrichedOrdersSchedule,
} from './enrich-order.job';
import {
  ORDER_SYNC_QUEUE,
  ORDER_SYNC_WORKERS,
  pgBossOrderSyncQueue,
  resumeOrderSyncs,
  resumeOrderSyncsSchedule,
  runOrderSyncJob,
} from './order-sync.job';
import type { OrderSyncQueue } from '../services/orders/order-sync.service';
import { PARTNER_WEBHOOK_QUEUE, startPartnerWebhooks } from './partner-webhooks.job';

/** Queues with their own policy; the others take pg-boss's defaults. */
const QUEUE_OPTIONS: Partial<Record<JobName, PgBoss.Queue>> = {
  [ENRICH_ORDER_QUEUE.name]: ENRICH_ORDER_QUEUE,
  [ORDER_SYNC_QUEUE.name]: ORDER_SYNC_QUEUE,
  [SEND_MESSAGE_QUEUE.name]: SEND_MESSAGE_QUEUE,
  [PARTNER_WEBHOOK_QUEUE.name]: PARTNER_WEBHOOK_QUEUE,
};

export type Jobs = {
  boss: PgBoss;
  /** Order-API clients and the enrich-order queue, for applying pushes in this process. */
  orderSync: Required<OrderSync>;
  /** Where startOrderSync enqueues its worker, in the request's transaction. */
  orderSyncQueue: OrderSyncQueue;
  /** Queues outbound chat messages (agent and bot) for sending, inside the caller's transaction. */
  outbound: OutboundDelivery;
  /** Jobs waiting per queue, for the metrics gauge. */
  queueSizes: () => Promise<Record<JobName, number>>;
  /** The process is stopping: from now on the database may go away under the queue. */
  expectDisconnect: () => void;
  stop: () => Promise<void>;
};

/** PostgreSQL's admin_shutdown, crash_shutdown, cannot_connect_now (SQLSTATE class 57P). */
function isServerShutdown(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('57P');
}

/**
 * pg-boss keeps jobs in PostgreSQL (schema `pgboss`) so a job can be enqueued
 * in the same transaction as the data it is about.
 */
export async function startJobs(options: {
  databaseUrl: string;
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  inboundMaxAttempts: number;
  platforms: PlatformConfig;
  /** Chat send settings; absent: no send-message workers in this process. */
  messaging?: MessagingConfig;
  /** Told about buyer messages applied by retries (see createConversationInbox). */
  bot?: ConversationBot;
  partnerWebhooks: PartnerWebhookConfig;
  /** OAuth apps; absent: no token refresh job in this process. */
  oauth?: OAuthConfig;
}): Promise<Jobs> {
  const { orm, bus, logger } = options;
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: 'pgboss',
    max: 4,
    application_name: 'crm-jobs',
  });
  let stopping = false;
  boss.on('error', (error: Error) => {
    // Ctrl-C in a terminal reaches the embedded PostgreSQL too, which then ends
    // pg-boss's connections while this process is stopping: expected, not a fault.
    if (stopping)
      logger.info({ reason: error.message }, 'job queue: connection ended while stopping');
    else if (isServerShutdown(error))
      logger.warn({ reason: error.message }, 'job queue: the database ended its connection');
    else logger.error({ err: error }, 'job queue error');
  });
  await boss.start();
  // Instances creating the queues at the same moment deadlock in pg-boss; they take turns.
  await withAdvisoryLock(options.databaseUrl, 'crm:job-queues', async () => {
    for (const name of JOB_NAMES) await boss.createQueue(name, QUEUE_OPTIONS[name]);
  });
  const refresh = options.oauth && {
    orm,
    bus,
    oauth: createOAuthClients(options.oauth),
    maxAttempts: options.oauth.refreshMaxAttempts,
    retryBaseMs: options.oauth.refreshRetryBaseMs,
  };
  // Every platform call of this process renews a refused token once (order API and chat sends).
  const renew = refresh && channelTokenRenewer(refresh);
  const orderSync: Required<OrderSync> = {
    clients: createOrderApiClients(options.platforms, renew),
    queue: pgBossEnrichmentQueue(boss),
  };

  const chat = createConversationInbox({ bus, logger, bot: options.bot });

  // pg-boss keeps schedules and jobs in PostgreSQL: they survive a restart,
  // and each scheduled slot is taken by one instance only.
  const tz = 'Asia/Ho_Chi_Minh';
  await boss.work('mark-missed-tickets', async () => {
    const marked = await markMissedTickets(orm, bus);
    if (marked.length > 0) logger.info({ marked: marked.length }, 'tickets marked as missed');
  });
  await boss.schedule('mark-missed-tickets', markMissedTicketsSchedule, {}, { tz });
  await boss.work('remind-due-tickets', async () => {
    const reminded = await remindDueTickets(orm, bus);
    if (reminded > 0) logger.info({ reminded }, 'owners reminded of due tickets');
  });
  await boss.schedule('remind-due-tickets', remindDueTicketsSchedule, {}, { tz });
  await boss.work('birthday-tickets', async () => {
    const created = await runBirthdayTickets(orm, bus);
    logger.info({ created }, 'birthday tickets created');
  });
  await boss.schedule('birthday-tickets', birthdayTicketsSchedule, {}, { tz });
  await boss.work('retry-inbound-events', async () => {
    const { applied, failed } = await retryInboundEvents(
      orm,
      bus,
      options.inboundMaxAttempts,
      new Date(),
      orderSync,
      chat,
    );
    if (applied + failed > 0) logger.info({ applied, failed }, 'inbound events retried');
  });
  await boss.schedule('retry-inbound-events', retryInboundEventsSchedule, {}, { tz });
  await boss.work('reconcile-payments', async () => {
    const run = await reconcilePayments(orm);
    logger.info(
      {
        date: run.date,
        ordersChecked: run.ordersChecked,
        paymentsChecked: run.paymentsChecked,
        mismatches: run.mismatches,
      },
      'payments reconciled',
    );
  });
  await boss.schedule('reconcile-payments', reconcilePaymentsSchedule, {}, { tz });
  await boss.work('channel-token-alerts', async () => {
    const alerted = await runChannelTokenAlerts(orm, bus);
    if (alerted > 0) logger.info({ alerted }, 'channel token alerts raised');
  });
  await boss.schedule('channel-token-alerts', channelTokenAlertsSchedule, {}, { tz });
  if (refresh) {
    await boss.work('refresh-channel-tokens', async () => {
      const run = await runRefreshChannelTokens(refresh);
      if (run.refreshed + run.retrying + run.alerts.length + run.reauthorizeSoon > 0) {
        logger.info(
          {
            refreshed: run.refreshed,
            retrying: run.retrying,
            failed: run.alerts.length,
            reauthorizeSoon: run.reauthorizeSoon,
          },
          'channel tokens refreshed',
        );
      }
    });
    await boss.schedule('refresh-channel-tokens', refreshChannelTokensSchedule, {}, { tz });
  }
  await boss.work('compact-report-summaries', async () => {
    await compactReportSummaries(orm);
  });
  await boss.schedule('compact-report-summaries', compactReportSummariesSchedule, {}, { tz });
  const rejections = detailRejectionSummary(logger);
  const startedAt = new Date();
  for (let i = 0; i < ENRICH_ORDER_WORKERS; i += 1) {
    await boss.work<JobPayloads['enrich-order']>(ENRICH_ORDER_QUEUE.name, async ([job]) => {
      if (job) {
        await runEnrichOrder(
          { orm, bus, clients: orderSync.clients, logger, rejections },
          job.data,
        );
      }
    });
  }
  await boss.work('sweep-unenriched-orders', async () => {
    const queued = await sweepUnenrichedOrders(orm, boss, startedAt);
    if (queued > 0) logger.info({ queued }, 'orders never enriched queued again');
  });
  await boss.schedule('sweep-unenriched-orders', sweepUnenrichedOrdersSchedule, {}, { tz });
  for (let i = 0; i < ORDER_SYNC_WORKERS; i += 1) {
    await boss.work<JobPayloads['order-sync']>(ORDER_SYNC_QUEUE.name, async ([job]) => {
      if (job) await runOrderSyncJob({ orm, bus, clients: orderSync.clients, logger }, job.data);
    });
  }
  await boss.work('resume-order-syncs', async () => {
    const resumed = await resumeOrderSyncs(orm, boss);
    if (resumed > 0) logger.info({ resumed }, 'order syncs without a worker queued again');
  });
  await boss.schedule('resume-order-syncs', resumeOrderSyncsSchedule, {}, { tz });

  let sender: Parameters<typeof pgBossOutboundDelivery>[1];
  if (options.messaging) {
    const delivery = {
      orm,
      bus,
      logger,
      boss,
      senders: createChatSenders(options.messaging, options.platforms, renew),
      // Per process; send pace per page is far below what one process does anyway.
      limiter: createRateLimiter(undefined, {
        keyPrefix: 'chat-send',
        points: options.messaging.sendRatePerSecond,
        durationSeconds: 1,
      }),
      maxAttempts: options.messaging.sendMaxAttempts,
      retryBaseMs: options.messaging.sendRetryBaseMs,
      leaseMs: options.messaging.timeoutMs * 3 + 30_000,
    };
    sender = delivery;
    for (let i = 0; i < SEND_MESSAGE_WORKERS; i += 1) {
      await boss.work<JobPayloads['send-message']>(
        SEND_MESSAGE_QUEUE.name,
        { pollingIntervalSeconds: SEND_MESSAGE_POLLING_SECONDS },
        async ([job]) => {
          if (job) await runSendMessage(delivery, job.data);
        },
      );
    }
    await boss.work('sweep-pending-messages', async () => {
      const queued = await sweepPendingMessages(delivery);
      if (queued > 0) logger.info({ queued }, 'pending outbound messages queued again');
    });
    await boss.schedule('sweep-pending-messages', sweepPendingMessagesSchedule, {}, { tz });
  }

  const stopPartnerWebhooks = await startPartnerWebhooks({
    boss,
    orm,
    bus,
    logger,
    config: options.partnerWebhooks,
    tz,
  });

  return {
    boss,
    orderSync,
    orderSyncQueue: pgBossOrderSyncQueue(boss),
    outbound: pgBossOutboundDelivery(boss, sender),
    queueSizes: async () => {
      const entries = await Promise.all(
        JOB_NAMES.map(async (name) => [name, await boss.getQueueSize(name)] as const),
      );
      return Object.fromEntries(entries) as Record<JobName, number>;
    },
    expectDisconnect: () => {
      stopping = true;
    },
    stop: async () => {
      stopping = true;
      stopPartnerWebhooks();
      await boss.stop({ graceful: true, close: true, timeout: 10_000 });
      rejections.close();
    },
  };
}
