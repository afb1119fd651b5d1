import type { EventBus } from '../realtime/event-bus';
import { TOPICS } from '../kernel/topics';
import { channelAlertService } from '../services/channels/channel-alert.service';
import {
  refreshDueTokens,
  type RefreshRun,
  type TokenRefreshDeps,
} from '../services/channels/channel-token.service';

/** Every minute: Shopee's 30-minute margin leaves room for the retries' backoff. */
export const refreshChannelTokensSchedule = '* * * * *';

/**
 * Refreshes every channel token within its platform's margin of expiry
 * (each under its row lock, so instances running this at once never spend
 * one refresh token twice), then announces REFRESH_FAILED for channels that
 * ran out of tries and REAUTHORIZE_SOON for authorizations ending within 7 days.
 */
export async function runRefreshChannelTokens(
  deps: TokenRefreshDeps & { bus: EventBus },
  now = new Date(),
): Promise<RefreshRun & { reauthorizeSoon: number }> {
  const run = await refreshDueTokens(deps, now);
  const soon = await channelAlertService.claimReauthorizeSoon(deps.orm.em.fork(), now);
  for (const alert of [...run.alerts, ...soon]) deps.bus.publish(TOPICS.channelAlert, alert);
  return { ...run, reauthorizeSoon: soon.length };
}
