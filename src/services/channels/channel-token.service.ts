/**
 * Keeping channel tokens alive (platforms.md section 10). A token is
 * refreshed a margin ahead of its expiry, inside one transaction that locks
 * the channel row (SELECT ... FOR UPDATE), reads the refresh token, spends it
 * at the platform and stores the new pair: two instances or jobs never spend
 * the same refresh token, which Shopee and Zalo accept once only. A refresh
 * that keeps failing (doubling backoff) marks the channel
 * NEEDS_REAUTHORIZATION and raises one REFRESH_FAILED alert.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Channel } from '../../entities';
import { ChannelAlertKind, ChannelStatus, Platform } from '../../entities/enums';
import type { OAuthClients, TokenSet } from '../../integrations/oauth';
import { withTokenRenewal, type TokenRenewer } from '../../integrations/order-api/token-renewal';
import { TOPICS, type ChannelAlertEvent } from '../../kernel/topics';
import type { EventBus } from '../../realtime/event-bus';
import { tokenDaysLeft } from './channel-health.service';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * How long before expiry each platform's token is refreshed: about a fifth
 * of its lifetime, and room for the retries' backoff inside it.
 */
export const REFRESH_MARGIN_MS: Readonly<Record<Platform, number>> = {
  [Platform.SHOPEE]: 30 * MINUTE_MS,
  [Platform.ZALO]: 5 * HOUR_MS,
  [Platform.TIKTOK]: 24 * HOUR_MS,
  [Platform.LAZADA]: 24 * HOUR_MS,
  [Platform.TIKI]: 30 * MINUTE_MS,
  [Platform.SENDO]: 30 * MINUTE_MS,
  // Page tokens do not expire; a token that does is renewed a day ahead.
  [Platform.FACEBOOK]: 24 * HOUR_MS,
};

/** The statuses whose tokens are kept fresh; a paused or failed channel is left alone. */
const REFRESHED_STATUSES = [ChannelStatus.ACTIVE, ChannelStatus.TOKEN_EXPIRED];

export type TokenRefreshDeps = {
  orm: MikroORM;
  oauth: OAuthClients;
  /** Tries before REFRESH_FAILED; the n-th failure waits retryBaseMs * 2^(n-1). */
  maxAttempts: number;
  retryBaseMs: number;
};

export type RefreshOutcome =
  | { kind: 'refreshed'; tokenExpiresAt: Date | null }
  /** Not due any more: another job or instance refreshed it first. */
  | { kind: 'fresh' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'retrying'; attempts: number; nextAttemptAt: Date; reason: string }
  | { kind: 'failed'; alert: ChannelAlertEvent; reason: string };

const canRefresh = (channel: Channel): boolean =>
  channel.platform === Platform.SENDO
    ? Boolean(channel.shopKey && channel.shopSecret)
    : Boolean(channel.refreshToken);

/** A Sendo shop connected with key and secret alone has not logged in yet: it is due at once. */
const firstSendoLogin = (channel: Channel): boolean =>
  channel.platform === Platform.SENDO && !channel.accessToken && !channel.tokenExpiresAt;

const isDue = (channel: Channel, now: Date): boolean =>
  (firstSendoLogin(channel) ||
    (!!channel.tokenExpiresAt &&
      channel.tokenExpiresAt.getTime() - REFRESH_MARGIN_MS[channel.platform] <= now.getTime())) &&
  (!channel.nextRefreshAt || channel.nextRefreshAt.getTime() <= now.getTime());

/** Writes a new token pair onto a channel (callback or refresh); a renewed token starts its alerts afresh. */
export function applyTokens(channel: Channel, tokens: TokenSet): void {
  channel.accessToken = tokens.accessToken;
  channel.tokenExpiresAt = tokens.accessTokenExpiresAt ?? undefined;
  // Sendo and Facebook have none: a refresh that returns none keeps what is stored.
  if (tokens.refreshToken !== null) {
    channel.refreshToken = tokens.refreshToken;
    channel.refreshTokenExpiresAt = tokens.refreshTokenExpiresAt ?? undefined;
  }
  channel.refreshFailures = 0;
  channel.nextRefreshAt = undefined;
  channel.tokenAlertedFor = undefined;
  channel.tokenAlertedAt = undefined;
}

const reasonOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Refreshes one channel under its row lock. `force` refreshes even before the
 * margin (an API call was told the token is invalid); `staleToken` is the
 * token that call used: if the stored one differs, someone refreshed it
 * meanwhile and there is nothing to do.
 */
export async function refreshChannelToken(
  deps: TokenRefreshDeps,
  channelId: string,
  now: Date,
  options: { force?: boolean; staleToken?: string } = {},
): Promise<RefreshOutcome> {
  return deps.orm.em.fork().transactional(async (em) => {
    const channel = await em.findOne(Channel, channelId, {
      populate: ['accessToken', 'refreshToken', 'shopSecret'],
      lockMode: LockMode.PESSIMISTIC_WRITE,
    });
    if (!channel) return { kind: 'skipped', reason: 'no such channel' };
    if (!REFRESHED_STATUSES.includes(channel.status)) {
      return { kind: 'skipped', reason: `channel is ${channel.status}` };
    }
    if (options.staleToken !== undefined && channel.accessToken !== options.staleToken) {
      return { kind: 'fresh' };
    }
    if (!options.force && !isDue(channel, now)) return { kind: 'fresh' };
    if (!canRefresh(channel)) return fail(em, channel, now, 'the channel has no refresh token');
    try {
      const tokens = await deps.oauth[channel.platform].refresh({
        shopId: channel.externalShopId,
        refreshToken: channel.refreshToken,
        shopKey: channel.shopKey,
        shopSecret: channel.shopSecret,
        refreshTokenExpiresAt: channel.refreshTokenExpiresAt ?? null,
        now,
      });
      applyTokens(channel, tokens);
      if (channel.status === ChannelStatus.TOKEN_EXPIRED) channel.status = ChannelStatus.ACTIVE;
      await em.flush();
      return { kind: 'refreshed', tokenExpiresAt: channel.tokenExpiresAt ?? null };
    } catch (error) {
      const attempts = channel.refreshFailures + 1;
      if (attempts >= deps.maxAttempts) return fail(em, channel, now, reasonOf(error));
      channel.refreshFailures = attempts;
      channel.nextRefreshAt = new Date(now.getTime() + deps.retryBaseMs * 2 ** (attempts - 1));
      await em.flush();
      return {
        kind: 'retrying',
        attempts,
        nextAttemptAt: channel.nextRefreshAt,
        reason: reasonOf(error),
      };
    }
  });
}

/** The one transition to NEEDS_REAUTHORIZATION, under the row lock: one alert per failure. */
async function fail(
  em: EntityManager,
  channel: Channel,
  now: Date,
  reason: string,
): Promise<RefreshOutcome> {
  channel.status = ChannelStatus.NEEDS_REAUTHORIZATION;
  channel.refreshFailures += 1;
  channel.nextRefreshAt = undefined;
  await em.flush();
  const expiresAt = channel.tokenExpiresAt ?? now;
  return {
    kind: 'failed',
    reason,
    alert: {
      channelId: channel.id,
      kind: ChannelAlertKind.REFRESH_FAILED,
      tokenExpiresAt: expiresAt.toISOString(),
      daysLeft: tokenDaysLeft(expiresAt, now),
    },
  };
}

/** Channels whose token is within its platform's margin of expiry, and not waiting out a backoff. */
export async function channelsDueForRefresh(em: EntityManager, now: Date): Promise<string[]> {
  const margins = Object.entries(REFRESH_MARGIN_MS);
  const rows = await em.execute<{ id: string }[]>(
    `select c."id" from "channel" c
     join (values ${margins.map(() => '(?::text, ?::bigint)').join(', ')}) as m("platform", "margin_ms")
       on m."platform" = c."platform"::text
     where c."status" in (${REFRESHED_STATUSES.map(() => '?').join(', ')})
       and (c."token_expires_at" <= ?::timestamptz + make_interval(secs => m."margin_ms" / 1000.0)
            or (c."platform" = 'SENDO' and c."token_expires_at" is null and c."access_token" is null))
       and (c."next_refresh_at" is null or c."next_refresh_at" <= ?)
       and (c."refresh_token" is not null
            or (c."platform" = 'SENDO' and c."shop_key" is not null and c."shop_secret" is not null))
     order by c."token_expires_at"`,
    [...margins.flat(), ...REFRESHED_STATUSES, now, now],
  );
  return rows.map((row) => row.id);
}

export type RefreshRun = { refreshed: number; retrying: number; alerts: ChannelAlertEvent[] };

/** One pass of the refresh job: every due channel, one at a time. */
export async function refreshDueTokens(deps: TokenRefreshDeps, now: Date): Promise<RefreshRun> {
  const run: RefreshRun = { refreshed: 0, retrying: 0, alerts: [] };
  for (const id of await channelsDueForRefresh(deps.orm.em.fork(), now)) {
    const outcome = await refreshChannelToken(deps, id, now);
    if (outcome.kind === 'refreshed') run.refreshed += 1;
    else if (outcome.kind === 'retrying') run.retrying += 1;
    else if (outcome.kind === 'failed') run.alerts.push(outcome.alert);
  }
  return run;
}

/**
 * The renewal behind withTokenRenewal (order-api/token-renewal.ts), wired
 * into the order-API clients and the chat senders: a forced refresh under
 * the row lock, unless the stored token is already another than the refused
 * one (someone refreshed meanwhile), then the token now stored. A channel
 * that cannot be refreshed (a Facebook page token, a pasted token) or whose
 * refresh runs out of tries is marked NEEDS_REAUTHORIZATION with its one
 * REFRESH_FAILED alert, published on `bus`.
 */
export function channelTokenRenewer(
  deps: TokenRefreshDeps & { bus?: EventBus },
  now: () => Date = () => new Date(),
): TokenRenewer {
  return async (channelId, refusedToken) => {
    const outcome = await refreshChannelToken(deps, channelId, now(), {
      force: true,
      staleToken: refusedToken,
    });
    if (outcome.kind === 'failed') deps.bus?.publish(TOPICS.channelAlert, outcome.alert);
    if (outcome.kind !== 'refreshed' && outcome.kind !== 'fresh') return null;
    const channel = await deps.orm.em
      .fork()
      .findOne(Channel, channelId, { populate: ['accessToken'] });
    return channel?.accessToken ?? null;
  };
}

/**
 * withTokenRenewal for a call that needs the whole channel row rather than
 * its token (scripts, tests): the row is read again after a renewal.
 */
export async function withFreshToken<T>(
  deps: TokenRefreshDeps & { bus?: EventBus },
  channelId: string,
  call: (channel: Channel) => Promise<T>,
  now: () => Date = () => new Date(),
): Promise<T> {
  const load = () =>
    deps.orm.em.fork().findOneOrFail(Channel, channelId, {
      populate: ['accessToken', 'refreshToken', 'shopSecret'],
    });
  const first = await load();
  return withTokenRenewal(
    channelTokenRenewer(deps, now),
    { channelId, accessToken: first.accessToken },
    async (accessToken) => call(accessToken === first.accessToken ? first : await load()),
  );
}
