/**
 * A fake of the platforms' authorization pages and token endpoints (Shopee,
 * Zalo with PKCE, TikTok Shop), with one protected call each, on one local
 * HTTP server and on a clock the test controls:
 *
 *   const fake = await startFakeOAuth({ now: () => clock });
 *   const app = await startTestApp({ platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env(app url) } });
 *   fake.nextShop('shopee', '7001');               // who the seller authorizes next
 *   fake.issue('shopee', '7001', now)             // a pair the fake knows, to store directly
 *   await fake.call('shopee', shopId, token)      // the protected call: ok, or the platform's "invalid token"
 *   fake.refuseRefresh('zalo', true)              // every refresh fails (HTTP 500) until told otherwise
 *   fake.stats                                    // refreshes per shop, reused refresh tokens, invalid calls
 *
 * Requests are checked as the platforms check them, independently of src/:
 * Shopee's HMAC over partner_id + path + timestamp, Zalo's secret_key header
 * and S256 code challenge, TikTok's app key and secret. Refresh tokens are
 * single use (Shopee per shop: a main-account pair may be spent once by each
 * of its shops); a reused one is refused and counted. Lifetimes: Shopee 4 h,
 * Zalo 25 h (expires_in as a string), TikTok 7 d (Unix-time expiries).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_PLATFORM_ENV } from './webhooks';

export type OAuthPlatform = 'shopee' | 'zalo' | 'tiktok';

const HOUR_MS = 3_600_000;
const LIFETIME_MS: Record<OAuthPlatform, number> = {
  shopee: 4 * HOUR_MS,
  zalo: 25 * HOUR_MS,
  tiktok: 7 * 24 * HOUR_MS,
};
const REFRESH_LIFETIME_MS: Record<OAuthPlatform, number> = {
  shopee: 30 * 24 * HOUR_MS,
  zalo: 90 * 24 * HOUR_MS,
  tiktok: 365 * 24 * HOUR_MS,
};
export const ZALO_TEST_APP_SECRET = 'zl-test-app-secret';
export const TIKTOK_TEST_SERVICE_ID = '7000000000000000001';

type Issued = {
  platform: OAuthPlatform;
  shops: string[];
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
};

export type FakeOAuth = {
  url: string;
  /** Variables pointing the API's OAuth and API clients here; callbacks go to `apiUrl`. */
  env: (apiUrl: string) => Record<string, string>;
  nextShop: (platform: OAuthPlatform, ...shopIds: string[]) => void;
  issue: (platform: OAuthPlatform, shopId: string, now: Date) => Issued;
  call: (platform: OAuthPlatform, shopId: string, token: string) => Promise<Response>;
  refuseRefresh: (platform: OAuthPlatform, refuse: boolean) => void;
  stats: {
    refreshes: Map<string, number>;
    reusedRefreshTokens: number;
    invalidCalls: number;
    validCalls: number;
    pkceFailures: number;
  };
  close: () => Promise<void>;
};

const token = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export async function startFakeOAuth(options: { now?: () => Date } = {}): Promise<FakeOAuth> {
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
  };
  const refusing = new Set<OAuthPlatform>();
  const stats: FakeOAuth['stats'] = {
    refreshes: new Map(),
    reusedRefreshTokens: 0,
    invalidCalls: 0,
    validCalls: 0,
    pkceFailures: 0,
  };
  let apiUrl = '';

  const issue = (platform: OAuthPlatform, shops: string[], at: Date): Issued => {
    const issued: Issued = {
      platform,
      shops,
      accessToken: token(`${platform}-at`),
      refreshToken: token(`${platform}-rt`),
      expiresAt: new Date(at.getTime() + LIFETIME_MS[platform]),
    };
    byAccess.set(issued.accessToken, issued);
    unspent.set(issued.refreshToken, { issued, shops: new Set(shops) });
    return issued;
  };
  const valid = (platform: OAuthPlatform, shopId: string, accessToken: string): boolean => {
    const issued = byAccess.get(accessToken);
    return (
      !!issued &&
      issued.platform === platform &&
      issued.shops.includes(shopId) &&
      issued.expiresAt.getTime() > now().getTime()
    );
  };
  /** Spends a refresh token for one shop; null when it is unknown, spent or refused. */
  const spend = (platform: OAuthPlatform, refreshToken: string, shopId: string): Issued | null => {
    const entry = unspent.get(refreshToken);
    if (!entry || entry.issued.platform !== platform || !entry.shops.has(shopId)) {
      stats.reusedRefreshTokens += 1;
      return null;
    }
    entry.shops.delete(shopId);
    if (entry.shops.size === 0) unspent.delete(refreshToken);
    const key = `${platform}:${shopId}`;
    stats.refreshes.set(key, (stats.refreshes.get(key) ?? 0) + 1);
    return issue(platform, [shopId], now());
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
      if (!issued || !valid('zalo', issued.shops[0]!, String(req.headers.access_token))) {
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
        OAUTH_REDIRECT_BASE_URL: api,
      };
    },
    nextShop: (platform, ...shopIds) => {
      next[platform] = shopIds;
    },
    issue: (platform, shopId, at) => issue(platform, [shopId], at),
    call: async (platform, shopId, accessToken) => {
      const ok = valid(platform, shopId, accessToken);
      if (ok) stats.validCalls += 1;
      else stats.invalidCalls += 1;
      return new Response(JSON.stringify({ ok }), { status: ok ? 200 : 401 });
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
