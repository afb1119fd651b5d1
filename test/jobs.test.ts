import pino from 'pino';
import { loadConfig } from '../src/config';
import { startJobs } from '../src/jobs/boss';
import { markMissedTickets } from '../src/jobs/mark-missed-tickets.job';
import { Ticket } from '../src/entities';
import { TicketStatus } from '../src/entities/enums';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

test('mark-missed-tickets flags open tickets past due, and nothing else', async () => {
  const branch = await make.branch();
  const customer = await make.customer();
  const past = new Date(Date.now() - 3_600_000);
  const future = new Date(Date.now() + 3_600_000);
  const overdue = await make.ticket({ customer, branch }, { dueAt: past });
  const notDue = await make.ticket({ customer, branch }, { dueAt: future });
  const done = await make.ticket(
    { customer, branch },
    { dueAt: past, status: TicketStatus.COMPLETED },
  );
  const noDueDate = await make.ticket({ customer, branch });

  expect(await markMissedTickets(t.orm)).toEqual([overdue.id]);
  const em = t.orm.em.fork();
  const missed = await em.find(Ticket, { isMissed: true });
  expect(missed.map((ticket) => ticket.id)).toEqual([overdue.id]);
  expect(await markMissedTickets(t.orm)).toEqual([]);
  for (const other of [notDue, done, noDueDate]) {
    expect((await em.findOneOrFail(Ticket, other.id)).isMissed).toBe(false);
  }
});

test('the job queue starts in PostgreSQL, schedules its cron jobs and stops cleanly', async () => {
  const jobs = await startJobs({
    databaseUrl: t.db.url,
    orm: t.orm,
    bus: t.bus,
    logger: pino({ level: 'silent' }),
    inboundMaxAttempts: 3,
    platforms: loadConfig(TEST_PLATFORM_ENV).platforms,
    messaging: loadConfig(TEST_PLATFORM_ENV).messaging,
    partnerWebhooks: loadConfig(TEST_PLATFORM_ENV).partnerWebhooks,
  });
  try {
    const schedules = await jobs.boss.getSchedules();
    expect(schedules.map((s) => s.name)).toContain('mark-missed-tickets');
    expect(Object.keys(await jobs.queueSizes()).sort()).toEqual([
      'birthday-tickets',
      'channel-token-alerts',
      'compact-report-summaries',
      'enrich-order',
      'mark-missed-tickets',
      'order-sync',
      'partner-webhook',
      'partner-webhook-retention',
      'partner-webhook-sweep',
      'reconcile-payments',
      'refresh-channel-tokens',
      'remind-due-tickets',
      'resume-order-syncs',
      'retry-inbound-events',
      'send-message',
      'sweep-pending-messages',
      'sweep-unenriched-orders',
    ]);
    expect(schedules.map((s) => s.name).sort()).toEqual([
      'birthday-tickets',
      'channel-token-alerts',
      'compact-report-summaries',
      'mark-missed-tickets',
      'partner-webhook-retention',
      'partner-webhook-sweep',
      'reconcile-payments',
      'remind-due-tickets',
      'resume-order-syncs',
      'retry-inbound-events',
      'sweep-pending-messages',
      'sweep-unenriched-orders',
    ]);
    // The nightly and daily jobs run in business time, not the server's zone.
    const byName = new Map(schedules.map((s) => [s.name, s]));
    expect(byName.get('reconcile-payments')).toMatchObject({
      cron: '30 2 * * *',
      timezone: 'Asia/Ho_Chi_Minh',
    });
    expect(byName.get('channel-token-alerts')).toMatchObject({
      cron: '0 8 * * *',
      timezone: 'Asia/Ho_Chi_Minh',
    });
  } finally {
    await jobs.stop();
  }
});
