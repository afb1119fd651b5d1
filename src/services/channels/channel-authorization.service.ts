/**
 * Connecting a channel by the platform's OAuth flow. channelAuthorizationUrl
 * stores a nonce and returns the platform's URL with a signed `state`
 * (nonce, platform, HMAC); the callback checks the signature and the
 * platform, spends the nonce in the statement that checks it (so a state
 * works once, until it expires), exchanges the code (with the PKCE verifier
 * kept for that state) and connects or updates the shops the platform names.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { credentialsKeyring, open } from '../../db/credential-cipher';
import { Branch, Channel, OAuthState } from '../../entities';
import { ChannelStatus, type Platform } from '../../entities/enums';
import type { AuthorizedShop, OAuthClients } from '../../integrations/oauth';
import { DomainError, assertId, badInput, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { audit } from '../shared/audit';
import { actingUserId } from '../shared/actor';
import { applyTokens } from './channel-token.service';

export type ChannelAuthorizationDeps = {
  oauth: OAuthClients;
  /** This API's public URL (OAUTH_REDIRECT_BASE_URL). */
  redirectBaseUrl: string;
  stateTtlMs: number;
};

export const callbackUrl = (redirectBaseUrl: string, platform: Platform): string =>
  `${redirectBaseUrl}/oauth/${platform.toLowerCase()}/callback`;

const b64url = (buffer: Buffer) => buffer.toString('base64url');

/** The state's signing key, derived from the credentials key: a state from another deployment fails. */
const stateKey = () =>
  createHmac('sha256', credentialsKeyring().current.key).update('oauth-state').digest();

const signState = (nonce: string, platform: Platform) =>
  b64url(createHmac('sha256', stateKey()).update(`${nonce}.${platform}`).digest());

const refused = (reason: string, message: string) =>
  new DomainError('BAD_USER_INPUT', message, { reason, field: 'state' });

/** The nonce of a state signed here for this platform, or a refusal. */
function nonceOf(state: string | undefined, platform: Platform): string {
  const [nonce, statePlatform, signature] = (state ?? '').split('.');
  if (!nonce || !statePlatform || !signature) {
    throw refused('STATE_INVALID', 'the callback carries no valid state');
  }
  const expected = Buffer.from(signState(nonce, statePlatform as Platform));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw refused('STATE_INVALID', 'the state was not issued by this API');
  }
  if (statePlatform !== String(platform)) {
    throw refused('STATE_INVALID', `the state was issued for ${statePlatform}, not ${platform}`);
  }
  return nonce;
}

type SpentState = { branchId: string | null; userId: string | null; codeVerifier: string | null };

/** Marks the state used, in the statement that checks it is unused and unexpired. */
async function spendState(
  em: EntityManager,
  nonce: string,
  platform: Platform,
  now: Date,
): Promise<SpentState> {
  const [row] = await em.execute<
    { branch_id: string | null; created_by_id: string | null; code_verifier: string | null }[]
  >(
    `update "oauth_state" set "used_at" = ?
     where "nonce" = ? and "platform" = ? and "used_at" is null and "expires_at" > ?
     returning "branch_id", "created_by_id", "code_verifier"`,
    [now, nonce, platform, now],
  );
  if (row) {
    return {
      branchId: row.branch_id,
      userId: row.created_by_id,
      codeVerifier: row.code_verifier ? open(credentialsKeyring(), row.code_verifier) : null,
    };
  }
  const known = await em.findOne(OAuthState, { nonce });
  if (known?.usedAt)
    throw refused('STATE_USED', 'this authorization link was already used; start again');
  if (known) throw refused('STATE_EXPIRED', 'this authorization link has expired; start again');
  throw refused('STATE_INVALID', 'unknown state');
}

const conflict = (shop: AuthorizedShop, channel: Channel) =>
  new DomainError(
    'CONFLICT',
    `${channel.platform} shop ${shop.externalShopId} is already connected to another branch as channel ${channel.id}`,
    { existingChannelId: channel.id, reason: 'CHANNEL_CONNECTED_ELSEWHERE' },
  );

export const channelAuthorizationService = {
  /** The platform's authorization page for a new (or renewed) connection in a branch. */
  async authorizationUrl(
    scope: RequestScope,
    deps: ChannelAuthorizationDeps,
    input: { platform: Platform; branchId?: string | null },
    now = new Date(),
  ): Promise<string> {
    const { em, viewer } = scope;
    const client = deps.oauth[input.platform];
    if (!client.authorizes) {
      throw badInput(
        `${input.platform} has no authorization page: connect it with connectChannel and its credentials`,
        'platform',
      );
    }
    let branchId: string | null = null;
    if (input.branchId !== undefined && input.branchId !== null) {
      branchId = assertId(input.branchId, 'branchId');
      if (!(await em.count(Branch, { id: branchId }))) throw notFound('Branch', branchId);
    }
    const nonce = b64url(randomBytes(24));
    const verifier = client.usesPkce ? b64url(randomBytes(32)) : undefined;
    const state = `${nonce}.${input.platform}.${signState(nonce, input.platform)}`;
    // Built before anything is stored: a platform whose app is not configured says so now.
    let url: string;
    try {
      url = client.authorizationUrl({
        state,
        redirectUri: callbackUrl(deps.redirectBaseUrl, input.platform),
        codeChallenge: verifier && b64url(createHash('sha256').update(verifier).digest()),
        now,
      });
    } catch (error) {
      throw badInput(error instanceof Error ? error.message : String(error), 'platform');
    }
    em.create(OAuthState, {
      nonce,
      platform: input.platform,
      branch: branchId ?? undefined,
      createdBy: actingUserId(viewer),
      codeVerifier: verifier,
      expiresAt: new Date(now.getTime() + deps.stateTtlMs),
    });
    await em.flush();
    return url;
  },

  /**
   * The callback: refuses a reused, expired or foreign state, exchanges the
   * code and connects or updates every shop the platform authorized. A shop
   * connected to another branch is CONFLICT, and then nothing is written.
   */
  async complete(
    orm: MikroORM,
    deps: ChannelAuthorizationDeps,
    platform: Platform,
    query: Record<string, string>,
    now = new Date(),
  ): Promise<Channel[]> {
    const nonce = nonceOf(query.state, platform);
    const state = await spendState(orm.em.fork(), nonce, platform, now);
    if (query.error) {
      throw badInput(`the seller did not authorize the app (${query.error})`, 'code');
    }
    const shops = await deps.oauth[platform].exchange({
      query,
      redirectUri: callbackUrl(deps.redirectBaseUrl, platform),
      codeVerifier: state.codeVerifier ?? undefined,
      now,
    });
    return orm.em.fork().transactional(async (em) => {
      const existing = await em.find(
        Channel,
        { platform, externalShopId: shops.map((shop) => shop.externalShopId) },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['accessToken', 'refreshToken'] },
      );
      const byShop = new Map(existing.map((channel) => [channel.externalShopId, channel]));
      for (const shop of shops) {
        const channel = byShop.get(shop.externalShopId);
        if (channel?.branch && channel.branch.id !== state.branchId) throw conflict(shop, channel);
      }
      const channels = shops.map((shop) => {
        const channel =
          byShop.get(shop.externalShopId) ??
          em.create(Channel, {
            platform,
            externalShopId: shop.externalShopId,
            name: shop.name ?? `${platform} ${shop.externalShopId}`,
          });
        if (state.branchId)
          channel.branch = em.getReference(Branch, state.branchId, { wrapped: true });
        applyTokens(channel, shop.tokens);
        channel.authorizationExpiresAt = shop.authorizationExpiresAt ?? undefined;
        channel.reauthorizeAlertedFor = undefined;
        // A completed authorization is what a failed or expired channel was waiting for.
        channel.status = ChannelStatus.ACTIVE;
        return { channel, created: !byShop.has(shop.externalShopId) };
      });
      await em.flush();
      for (const { channel, created } of channels) {
        await audit(em, {
          // The browser that comes back carries no session: the admin who asked is named instead.
          actor: null,
          action: created ? 'channel_connected' : 'channel_authorized',
          entityType: 'Channel',
          entityId: channel.id,
          data: {
            platform,
            externalShopId: channel.externalShopId,
            via: 'oauth',
            authorizedBy: state.userId,
            secretsSet: channel.refreshToken ? ['accessToken', 'refreshToken'] : ['accessToken'],
          },
        });
      }
      return channels.map(({ channel }) => channel);
    });
  },
};
