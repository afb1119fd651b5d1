/**
 * A fake of the platforms' authorization pages and token endpoints (Shopee,
 * Zalo with PKCE, TikTok Shop, Lazada, Tiki, Facebook), with one protected
 * call each, on one local HTTP server and on a clock the test controls:
 *
 *   const fake = await startFakeOAuth({ now: () => clock });
 *   const app = await startTestApp({ platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env(app url) } });
 *   fake.nextShop('shopee', '7001');               // who the seller authorizes next
 *   fake.issue('shopee', '7001', now)             // a pair the fake knows, to store directly
 *   await fake.call('shopee', shopId, token)      // the protected call: ok, or the platform's "invalid token"
 *   fake.refuseRefresh('zalo', true)              // every refresh fails (HTTP 500) until told otherwise
 *   fake.accepts('shopee', shopId, token)         // the platforms' check, for the order-API fake (fake-platforms `tokens`)
 *   fake.invalidate(token)                        // the platform stops accepting it (revoked, clock skew)
 *   fake.stats                                    // refreshes per shop, reused refresh tokens, invalid calls
 *
 * Shopee, TikTok and Tiki serve their token endpoints and their order APIs
 * on one host: `forward` sends the paths this fake does not know to
 * another fake (fake-platforms, fake-send-api) under the same prefix.
 *
 * Requests are checked as the platforms check them, independently of src/:
 * Shopee's HMAC over partner_id + path + timestamp, Zalo's secret_key header
 * and S256 code challenge, TikTok's app key and secret. Refresh tokens are
 * single use (Shopee per shop: a main-account pair may be spent once by each
 * of its shops); a reused one is refused and counted. Lifetimes: Shopee 4 h,
 * Zalo 25 h (expires_in as a string), TikTok 7 d (Unix-time expiries),
 * Lazada a test app's 7 d with a 30 d refresh token whose end a refresh does
 * not move (refresh_expires_in is what is left of it), Tiki 12 h (the fake's
 * choice: Tiki documents none), Facebook page tokens without expiry, from a
 * 60-day user token (expires_in 5184000).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_PLATFORM_ENV } from './webhooks';

export type OAuthPlatform = 'shopee' | 'zalo' | 'tiktok' | 'lazada' | 'tiki' | 'facebook';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const LIFETIME_MS: Record<OAuthPlatform, number> = {
  shopee: 4 * HOUR_MS,
  zalo: 25 * HOUR_MS,
  tiktok: 7 * DAY_MS,
  lazada: 7 * DAY_MS,
  tiki: 12 * HOUR_MS,
  // A page token: no expiry.
  facebook: Number.POSITIVE_INFINITY,
};
const REFRESH_LIFETIME_MS: Record<OAuthPlatform, number> = {
  shopee: 30 * DAY_MS,
  zalo: 90 * DAY_MS,
  tiktok: 365 * DAY_MS,
  lazada: 30 * DAY_MS,
  tiki: 30 * DAY_MS,
  facebook: 0,
};
const FACEBOOK_USER_TOKEN_SECONDS = 5_184_000;
export const ZALO_TEST_APP_SECRET = 'zl-test-app-secret';
export const TIKTOK_TEST_SERVICE_ID = '7000000000000000001';
export const TIKI_TEST_CLIENT = { id: 'tiki-test-client', secret: 'tiki-test-client-secret' };
export const FACEBOOK_TEST_APP_ID = '1000000000000001';

type Issued = {
  platform: OAuthPlatform;
  shops: string[];
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  refreshExpiresAt: Date;
};

export type FakeOAuth = {
  url: string;
  /** Variables pointing the API's OAuth and API clients here; callbacks go to `apiUrl`. */
  env: (apiUrl: string) => Record<string, string>;
  nextShop: (platform: OAuthPlatform, ...shopIds: string[]) => void;
  issue: (platform: OAuthPlatform, shopId: string, now: Date) => Issued;
  call: (platform: OAuthPlatform, shopId: string, token: string) => Promise<Response>;
  /** Whether the platform accepts this token now (for any of its shops when shopId is absent); counted. */
  accepts: (platform: OAuthPlatform, shopId: string | undefined, token: string) => boolean;
  invalidate: (accessToken: string) => void;
  refuseRefresh: (platform: OAuthPlatform, refuse: boolean) => void;
  stats: {
    refreshes: Map<string, number>;
    reusedRefreshTokens: number;
    invalidCalls: number;
    validCalls: number;
    pkceFailures: number;
    /** Refreshes refused because the refresh token's own life had ended. */
    expiredRefreshTokens: number;
  };
  close: () => Promise<void>;
};

const token = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export async function startFakeOAuth(
  options: { now?: () => Date; forward?: { prefix: string; to: string }[] } = {},
): Promise<FakeOAuth> {
  const now = options.now ?? (() => new Date());
  const env = TEST_PLATFORM_ENV as Record<string, string>;
  const byAccess = new Map<string, Issued>();
  /** Refresh token -> the shops that may still spend it. */
  const unspent = new Map<string, { issued: Issued; shops: Set<string> }>();
  const codes = new Map<string, { platform: OAuthPlatform; shops: string[]; challenge?: string }>();
  const next: Record<OAuthPlatform, string[]> = {
    shopee: ['7001'],
    zalo: ['oa-1'],
    tiktok: ['ts-1'],
    lazada: ['lz-1'],
    tiki: ['tk-1'],
    facebook: ['page-1'],
  };
  const refusing = new Set<OAuthPlatform>();
  const stats: FakeOAuth['stats'] = {
    refreshes: new Map(),
    reusedRefreshTokens: 0,
    invalidCalls: 0,
    validCalls: 0,
    pkceFailures: 0,
    expiredRefreshTokens: 0,
  };
  let apiUrl = '';

  const issue = (
    platform: OAuthPlatform,
    shops: string[],
    at: Date,
    refreshExpiresAt = new Date(at.getTime() + REFRESH_LIFETIME_MS[platform]),
  ): Issued => {
    const issued: Issued = {
      platform,
      shops,
      accessToken: token(`${platform}-at`),
      refreshToken: token(`${platform}-rt`),
      // The latest time a Date can hold stands for "never" (page tokens).
      expiresAt: new Date(Math.min(at.getTime() + LIFETIME_MS[platform], 8.64e15)),
      refreshExpiresAt,
    };
    byAccess.set(issued.accessToken, issued);
    unspent.set(issued.refreshToken, { issued, shops: new Set(shops) });
    return issued;
  };
  const valid = (
    platform: OAuthPlatform,
    shopId: string | undefined,
    accessToken: string,
  ): boolean => {
    const issued = byAccess.get(accessToken);
    return (
      !!issued &&
      issued.platform === platform &&
      (shopId === undefined || issued.shops.includes(shopId)) &&
      issued.expiresAt.getTime() > now().getTime()
    );
  };
  const accepts = (platform: OAuthPlatform, shopId: string | undefined, accessToken: string) => {
    const ok = valid(platform, shopId, accessToken);
    if (ok) stats.validCalls += 1;
    else stats.invalidCalls += 1;
    return ok;
  };
  /** Spends a refresh token for one shop; null when it is unknown, spent or refused. */
  const spend = (platform: OAuthPlatform, refreshToken: string, shopId: string): Issued | null => {
    const entry = unspent.get(refreshToken);
    if (!entry || entry.issued.platform !== platform || !entry.shops.has(shopId)) {
      stats.reusedRefreshTokens += 1;
      return null;
    }
    if (entry.issued.refreshExpiresAt.getTime() <= now().getTime()) {
      stats.expiredRefreshTokens += 1;
      return null;
    }
    entry.shops.delete(shopId);
    if (entry.shops.size === 0) unspent.delete(refreshToken);
    const key = `${platform}:${shopId}`;
    stats.refreshes.set(key, (stats.refreshes.get(key) ?? 0) + 1);
    // Lazada: "the duration of the refresh token will not be reset" (LZ-AUTH).
    return platform === 'lazada'
      ? issue(platform, [shopId], now(), entry.issued.refreshExpiresAt)
      : issue(platform, [shopId], now());
  };
  const newCode = (platform: OAuthPlatform, challenge?: string) => {
    const code = token(`${platform}-code`);
    codes.set(code, { platform, shops: next[platform], challenge });
    return code;
  };
  const takeCode = (platform: OAuthPlatform, code: string | undefined) => {
    const entry = code ? codes.get(code) : undefined;
    if (!entry || entry.platform !== platform) return null;
    codes.delete(code!);
    return entry;
  };

  const shopeeSigned = (path: string, query: URLSearchParams) =>
    query.get('partner_id') === env.SHOPEE_PARTNER_ID &&
    query.get('sign') ===
      createHmac('sha256', env.SHOPEE_PARTNER_KEY!)
        .update(`${env.SHOPEE_PARTNER_ID}${path}${query.get('timestamp')}`)
        .digest('hex');

  const lazadaSigned = (apiPath: string, query: URLSearchParams) => {
    const params = [...query.entries()].filter(([key]) => key !== 'sign');
    const text = params
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${key}${value}`)
      .join('');
    const expected = createHmac('sha256', env.LAZADA_APP_SECRET!)
      .update(apiPath + text)
      .digest('hex')
      .toUpperCase();
    return query.get('app_key') === env.LAZADA_APP_KEY && query.get('sign') === expected;
  };
  /** Lazada's token answer (LZ-AUTH sample): durations in seconds, the seller in country_user_info. */
  const lazadaToken = (issued: Issued) => ({
    code: '0',
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    expires_in: Math.round((issued.expiresAt.getTime() - now().getTime()) / 1000),
    refresh_expires_in: Math.max(
      0,
      Math.round((issued.refreshExpiresAt.getTime() - now().getTime()) / 1000),
    ),
    country: 'vn',
    account_platform: 'seller_center',
    account: `seller-${issued.shops[0]}@shop.test`,
    country_user_info: [{ country: 'vn', seller_id: issued.shops[0], user_id: 10101 }],
    request_id: 'fake',
  });
  const tikiClientOk = (req: IncomingMessage) => {
    const expected = Buffer.from(
      `Basic ${Buffer.from(`${TIKI_TEST_CLIENT.id}:${TIKI_TEST_CLIENT.secret}`).toString('base64')}`,
    );
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  /** Facebook's user tokens (short- and long-lived) -> the pages their admin granted. */
  const facebookUsers = new Map<string, string[]>();
  const facebookApp = (q: URLSearchParams) =>
    q.get('client_id') === FACEBOOK_TEST_APP_ID &&
    q.get('client_secret') === env.FACEBOOK_APP_SECRET;

  type Answer = { status?: number; body?: unknown; location?: string };
  const routes: Record<string, (url: URL, body: string, req: IncomingMessage) => Answer> = {
    'GET /shopee/api/v2/shop/auth_partner': (url) => {
      if (!shopeeSigned('/api/v2/shop/auth_partner', url.searchParams))
        return { status: 403, body: { error: 'error_sign' } };
      const redirect = new URL(url.searchParams.get('redirect')!);
      const shops = next.shopee;
      redirect.searchParams.set('code', newCode('shopee'));
      if (shops.length > 1) redirect.searchParams.set('main_account_id', '9001');
      else redirect.searchParams.set('shop_id', shops[0]!);
      return { status: 302, location: redirect.toString() };
    },
    'POST /shopee/api/v2/auth/token/get': (url, body) => {
      if (!shopeeSigned('/api/v2/auth/token/get', url.searchParams))
        return { body: { error: 'error_sign', message: 'wrong sign' } };
      const input = JSON.parse(body) as {
        code: string;
        shop_id?: number;
        main_account_id?: number;
      };
      const entry = takeCode('shopee', input.code);
      if (!entry) return { body: { error: 'error_param', message: 'invalid code' } };
      if (input.shop_id !== undefined && String(input.shop_id) !== entry.shops[0]) {
        return { body: { error: 'error_param', message: 'code is for another shop' } };
      }
      const issued = issue('shopee', entry.shops, now());
      return {
        body: {
          error: '',
          access_token: issued.accessToken,
          refresh_token: issued.refreshToken,
          expire_in: LIFETIME_MS.shopee / 1000,
          ...(input.main_account_id ? { shop_id_list: entry.shops.map(Number) } : {}),
        },
      };
    },
    'POST /shopee/api/v2/auth/access_token/get': (url, body) => {
      if (!shopeeSigned('/api/v2/auth/access_token/get', url.searchParams))
        return { body: { error: 'error_sign' } };
      if (refusing.has('shopee')) return { status: 500, body: { error: 'error_server' } };
      const input = JSON.parse(body) as { refresh_token: string; shop_id: number };
      const issued = spend('shopee', input.refresh_token, String(input.shop_id));
      if (!issued) return { body: { error: 'error_auth', message: 'Invalid refresh_token' } };
      return {
        body: {
          error: '',
          access_token: issued.accessToken,
          refresh_token: issued.refreshToken,
          expire_in: LIFETIME_MS.shopee / 1000,
          shop_id: input.shop_id,
        },
      };
    },
    'GET /zalo-oauth/v4/oa/permission': (url) => {
      const redirect = new URL(url.searchParams.get('redirect_uri')!);
      redirect.searchParams.set(
        'code',
        newCode('zalo', url.searchParams.get('code_challenge') ?? ''),
      );
      redirect.searchParams.set('oa_id', next.zalo[0]!);
      redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
      return { status: 302, location: redirect.toString() };
    },
    'POST /zalo-oauth/v4/oa/access_token': (_url, body, req) => {
      if (req.headers.secret_key !== ZALO_TEST_APP_SECRET)
        return { body: { error: -14001, error_name: 'invalid secret' } };
      const form = new URLSearchParams(body);
      if (form.get('app_id') !== env.ZALO_APP_ID)
        return { body: { error: -14002, error_name: 'invalid app_id' } };
      let issued: Issued | null;
      if (form.get('grant_type') === 'authorization_code') {
        const entry = takeCode('zalo', form.get('code') ?? undefined);
        const verifier = form.get('code_verifier') ?? '';
        if (!entry) return { body: { error: -14019, error_name: 'invalid code' } };
        if (createHash('sha256').update(verifier).digest('base64url') !== entry.challenge) {
          stats.pkceFailures += 1;
          return { body: { error: -14018, error_name: 'invalid code_verifier' } };
        }
        issued = issue('zalo', entry.shops, now());
      } else {
        if (refusing.has('zalo')) return { status: 500, body: { error: -1 } };
        const refreshToken = form.get('refresh_token') ?? '';
        const shop = unspent.get(refreshToken)?.issued.shops[0] ?? '';
        issued = spend('zalo', refreshToken, shop);
        if (!issued) return { body: { error: -14014, error_name: 'Invalid refresh token' } };
      }
      return {
        body: {
          access_token: issued.accessToken,
          refresh_token: issued.refreshToken,
          expires_in: String(LIFETIME_MS.zalo / 1000),
        },
      };
    },
    'GET /zalo-api/v2.0/oa/getoa': (_url, _body, req) => {
      const issued = byAccess.get(String(req.headers.access_token));
      if (!issued || !valid('zalo', issued.shops[0], String(req.headers.access_token))) {
        return { body: { error: -216, message: 'Access token is invalid' } };
      }
      return {
        body: { error: 0, data: { oa_id: issued.shops[0], name: `OA ${issued.shops[0]}` } },
      };
    },
    'GET /tiktok-authorize': (url) => {
      const callback = new URL(`${apiUrl}/oauth/tiktok/callback`);
      callback.searchParams.set('code', newCode('tiktok'));
      callback.searchParams.set('state', url.searchParams.get('state') ?? '');
      return { status: 302, location: callback.toString() };
    },
    'GET /tiktok-auth/api/v2/token/get': (url) => {
      const q = url.searchParams;
      if (q.get('app_key') !== env.TIKTOK_APP_KEY || q.get('app_secret') !== env.TIKTOK_APP_SECRET)
        return { body: { code: 36004003, message: 'invalid app' } };
      const entry = takeCode('tiktok', q.get('auth_code') ?? undefined);
      if (!entry || q.get('grant_type') !== 'authorized_code')
        return { body: { code: 36004001, message: 'invalid auth_code' } };
      return { body: tiktokToken(issue('tiktok', entry.shops, now())) };
    },
    'GET /tiktok-auth/api/v2/token/refresh': (url) => {
      const q = url.searchParams;
      if (q.get('app_key') !== env.TIKTOK_APP_KEY || q.get('app_secret') !== env.TIKTOK_APP_SECRET)
        return { body: { code: 36004003, message: 'invalid app' } };
      if (refusing.has('tiktok')) return { status: 500, body: { code: 1 } };
      const refreshToken = q.get('refresh_token') ?? '';
      const shop = unspent.get(refreshToken)?.issued.shops[0] ?? '';
      const issued = spend('tiktok', refreshToken, shop);
      if (!issued) return { body: { code: 36004004, message: 'invalid refresh_token' } };
      return { body: tiktokToken(issued) };
    },
    'GET /tiktok/authorization/202309/shops': (_url, _body, req) => {
      const issued = byAccess.get(String(req.headers['x-tts-access-token']));
      if (!issued) return { body: { code: 105001, message: 'invalid access token' } };
      return {
        body: {
          code: 0,
          data: { shops: issued.shops.map((id) => ({ id, name: `Shop ${id}`, cipher: 'c' })) },
        },
      };
    },
    'GET /lazada-auth/oauth/authorize': (url) => {
      const redirect = new URL(url.searchParams.get('redirect_uri')!);
      if (url.searchParams.get('client_id') !== env.LAZADA_APP_KEY)
        return { status: 400, body: { error: 'invalid client_id' } };
      redirect.searchParams.set('code', newCode('lazada'));
      redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
      return { status: 302, location: redirect.toString() };
    },
    'GET /lazada-auth/rest/auth/token/create': (url) => {
      if (!lazadaSigned('/auth/token/create', url.searchParams))
        return { body: { code: 'IncompleteSignature', type: 'ISV', message: 'bad sign' } };
      const entry = takeCode('lazada', url.searchParams.get('code') ?? undefined);
      if (!entry) return { body: { code: 'InvalidCode', type: 'ISV', message: 'invalid code' } };
      return { body: lazadaToken(issue('lazada', entry.shops, now())) };
    },
    'GET /lazada-auth/rest/auth/token/refresh': (url) => {
      if (!lazadaSigned('/auth/token/refresh', url.searchParams))
        return { body: { code: 'IncompleteSignature', type: 'ISV', message: 'bad sign' } };
      if (refusing.has('lazada')) return { status: 500, body: { code: 'ServiceUnavailable' } };
      const refreshToken = url.searchParams.get('refresh_token') ?? '';
      const shop = unspent.get(refreshToken)?.issued.shops[0] ?? '';
      const issued = spend('lazada', refreshToken, shop);
      if (!issued)
        return {
          body: { code: 'IllegalRefreshToken', type: 'ISV', message: 'invalid refresh_token' },
        };
      return { body: lazadaToken(issued) };
    },
    'GET /tiki/sc/oauth2/auth': (url) => {
      if (url.searchParams.get('client_id') !== TIKI_TEST_CLIENT.id)
        return { status: 400, body: { error: 'invalid_client' } };
      const redirect = new URL(url.searchParams.get('redirect_uri')!);
      redirect.searchParams.set('code', newCode('tiki'));
      redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
      return { status: 302, location: redirect.toString() };
    },
    'POST /tiki/sc/oauth2/token': (_url, body, req) => {
      if (!tikiClientOk(req)) return { status: 401, body: { error: 'invalid_client' } };
      const form = new URLSearchParams(body);
      let issued: Issued | null;
      if (form.get('grant_type') === 'authorization_code') {
        const entry = takeCode('tiki', form.get('code') ?? undefined);
        if (!entry) return { status: 400, body: { error: 'invalid_grant' } };
        issued = issue('tiki', entry.shops, now());
      } else if (form.get('grant_type') === 'refresh_token') {
        if (refusing.has('tiki')) return { status: 500, body: { error: 'server_error' } };
        const refreshToken = form.get('refresh_token') ?? '';
        issued = spend('tiki', refreshToken, unspent.get(refreshToken)?.issued.shops[0] ?? '');
        if (!issued) return { status: 400, body: { error: 'invalid_grant' } };
      } else {
        return { status: 400, body: { error: 'unsupported_grant_type' } };
      }
      return {
        body: {
          access_token: issued.accessToken,
          refresh_token: issued.refreshToken,
          expires_in: LIFETIME_MS.tiki / 1000,
          token_type: 'bearer',
          scope: 'offline all',
        },
      };
    },
    'GET /tiki/integration/v2/sellers/me': (_url, _body, req) => {
      const bearer = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const issued = byAccess.get(bearer);
      if (!issued || !valid('tiki', undefined, bearer))
        return { status: 401, body: { error: 'invalid_token' } };
      return { body: { id: issued.shops[0], name: `Tiki seller ${issued.shops[0]}` } };
    },
    'GET /facebook-dialog': (url) => {
      if (url.searchParams.get('client_id') !== FACEBOOK_TEST_APP_ID)
        return { status: 400, body: { error: { message: 'Invalid app ID', code: 101 } } };
      const redirect = new URL(url.searchParams.get('redirect_uri')!);
      redirect.searchParams.set('code', newCode('facebook'));
      redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
      return { status: 302, location: redirect.toString() };
    },
    'GET /graph/oauth/access_token': (url) => {
      const q = url.searchParams;
      const refused = (message: string) => ({
        status: 400,
        body: { error: { message, type: 'OAuthException', code: 100 } },
      });
      if (!facebookApp(q)) return refused('Error validating client secret.');
      if (q.get('grant_type') === 'fb_exchange_token') {
        const pages = facebookUsers.get(q.get('fb_exchange_token') ?? '');
        if (!pages) return refused('Invalid OAuth access token.');
        const long = token('facebook-user-ll');
        facebookUsers.set(long, pages);
        return {
          body: {
            access_token: long,
            token_type: 'bearer',
            expires_in: FACEBOOK_USER_TOKEN_SECONDS,
          },
        };
      }
      const entry = takeCode('facebook', q.get('code') ?? undefined);
      if (!entry) return refused('Invalid verification code format.');
      const short = token('facebook-user');
      facebookUsers.set(short, entry.shops);
      return { body: { access_token: short, token_type: 'bearer', expires_in: 5_400 } };
    },
    'GET /graph/me/accounts': (url) => {
      const pages = facebookUsers.get(url.searchParams.get('access_token') ?? '');
      if (!pages)
        return {
          status: 400,
          body: {
            error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 },
          },
        };
      return {
        body: {
          data: pages.map((id) => ({
            id,
            name: `Page ${id}`,
            category: 'Shopping & retail',
            access_token: issue('facebook', [id], now()).accessToken,
            tasks: ['MESSAGING'],
          })),
          paging: { cursors: { before: 'b', after: 'a' } },
        },
      };
    },
  };
  const tiktokToken = (issued: Issued) => ({
    code: 0,
    message: 'success',
    data: {
      access_token: issued.accessToken,
      access_token_expire_in: seconds(issued.expiresAt),
      refresh_token: issued.refreshToken,
      refresh_token_expire_in: seconds(new Date(now().getTime() + REFRESH_LIFETIME_MS.tiktok)),
      open_id: 'open-1',
      seller_name: 'Seller',
    },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routes[`${req.method} ${url.pathname}`];
    const forward = route
      ? undefined
      : options.forward?.find((f) => url.pathname.startsWith(`${f.prefix}/`));
    if (forward) {
      const headers = Object.fromEntries(
        Object.entries(req.headers)
          .filter(([key]) => !['host', 'connection', 'content-length'].includes(key))
          .map(([key, value]) => [key, String(value)]),
      );
      const answer = await fetch(
        `${forward.to}${url.pathname.slice(forward.prefix.length)}${url.search}`,
        {
          method: req.method,
          headers,
          body: req.method === 'GET' ? undefined : body,
          redirect: 'manual',
        },
      );
      res
        .writeHead(answer.status, {
          'content-type': answer.headers.get('content-type') ?? 'application/json',
          ...(answer.headers.get('retry-after')
            ? { 'retry-after': answer.headers.get('retry-after')! }
            : {}),
        })
        .end(await answer.text());
      return;
    }
    const answer: Answer = route
      ? route(url, body, req)
      : { status: 404, body: { error: 'not_found' } };
    if (answer.location) {
      res.writeHead(answer.status ?? 302, { location: answer.location }).end();
      return;
    }
    res
      .writeHead(answer.status ?? 200, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer.body ?? {}));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    env: (api) => {
      apiUrl = api;
      return {
        SHOPEE_API_BASE_URL: `${url}/shopee`,
        ZALO_APP_SECRET: ZALO_TEST_APP_SECRET,
        ZALO_OAUTH_BASE_URL: `${url}/zalo-oauth`,
        ZALO_API_BASE_URL: `${url}/zalo-api`,
        TIKTOK_SERVICE_ID: TIKTOK_TEST_SERVICE_ID,
        TIKTOK_AUTHORIZE_URL: `${url}/tiktok-authorize`,
        TIKTOK_AUTH_BASE_URL: `${url}/tiktok-auth`,
        TIKTOK_API_BASE_URL: `${url}/tiktok`,
        LAZADA_AUTH_BASE_URL: `${url}/lazada-auth`,
        TIKI_API_BASE_URL: `${url}/tiki`,
        TIKI_CLIENT_ID: TIKI_TEST_CLIENT.id,
        TIKI_CLIENT_SECRET: TIKI_TEST_CLIENT.secret,
        // This API pulls Tiki's event queue when its client is set; not in these tests.
        TIKI_PULL_INTERVAL_MS: '0',
        FACEBOOK_APP_ID: FACEBOOK_TEST_APP_ID,
        FACEBOOK_DIALOG_URL: `${url}/facebook-dialog`,
        FACEBOOK_API_BASE_URL: `${url}/graph`,
        OAUTH_REDIRECT_BASE_URL: api,
      };
    },
    nextShop: (platform, ...shopIds) => {
      next[platform] = shopIds;
    },
    issue: (platform, shopId, at) => issue(platform, [shopId], at),
    call: async (platform, shopId, accessToken) => {
      const ok = accepts(platform, shopId, accessToken);
      return new Response(JSON.stringify({ ok }), { status: ok ? 200 : 401 });
    },
    accepts,
    invalidate: (accessToken) => {
      const issued = byAccess.get(accessToken);
      if (issued) issued.expiresAt = new Date(0);
    },
    refuseRefresh: (platform, refuse) => {
      if (refuse) refusing.add(platform);
      else refusing.delete(platform);
    },
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
