import type { MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../realtime/event-bus';
import { TOPICS } from '../kernel/topics';
import { channelAlertService } from '../services/channels/channel-alert.service';

/** 08:00 business time, when the team that renews tokens is at work. */
export const channelTokenAlertsSchedule = '0 8 * * *';

/**
 * Announces channels whose platform token expires within 7 days (or has
 * expired) on `channelAlert`; a channel already announced today for the
 * same expiry is not announced again. Returns how many were announced.
 */
export async function runChannelTokenAlerts(
  orm: MikroORM,
  bus: EventBus,
  now = new Date(),
): Promise<number> {
  const alerts = await channelAlertService.claimDue(orm.em.fork(), now);
  for (const alert of alerts) bus.publish(TOPICS.channelAlert, alert);
  return alerts.length;
}
