/**
 * Webhook setup check (docs/webhooks.md): sign and POST a sample push exactly
 * as the platform would, with the same secrets the server is configured with.
 *
 *   LAZADA_APP_KEY=... LAZADA_APP_SECRET=... \
 *     node -r @swc-node/register examples/send-test-push.ts lazada [shopee tiktok facebook zalo]
 *
 * Environment (the server's own variable names, so one .env serves both):
 *   lazada    LAZADA_APP_KEY, LAZADA_APP_SECRET
 *   shopee    SHOPEE_PARTNER_KEY, SHOPEE_PUSH_URL (the URL registered with Shopee)
 *   tiktok    TIKTOK_APP_KEY, TIKTOK_APP_SECRET
 *   facebook  FACEBOOK_APP_SECRET
 *   zalo      ZALO_APP_ID, ZALO_OA_SECRET
 * SHOP_ID is the channel's shop, page or OA id (default `<platform>-shop-1`,
 * as in the demo data); ORDER_ID the order a marketplace push is about.
 */
import { createHash, createHmac } from 'node:crypto';

const API_URL = process.env.API_URL ?? 'http://localhost:4000';
const ORDER_ID = process.env.ORDER_ID ?? `TEST-${Date.now()}`;

type Push = { body: string; headers: Record<string, string> };

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (the same value the server has)`);
  return value;
}

const hmacHex = (key: string, text: string) =>
  createHmac('sha256', key).update(text, 'utf8').digest('hex');

/** Each platform's body and signature (platforms.md); all sign the raw UTF-8 bytes of the body. */
const platforms: Record<string, (shop: string) => Push> = {
  lazada(shop) {
    const now = Date.now();
    const body = JSON.stringify({
      seller_id: shop,
      message_type: 0,
      timestamp: now,
      site: 'lazada_vn',
      data: {
        order_status: process.env.STATUS ?? 'pending',
        trade_order_id: ORDER_ID,
        trade_order_line_id: `${ORDER_ID}-1`,
        status_update_time: Math.floor(now / 1000),
      },
    });
    // hex(HMAC-SHA256(app secret, app key + body)), no scheme prefix.
    return {
      body,
      headers: { authorization: hmacHex(env('LAZADA_APP_SECRET'), env('LAZADA_APP_KEY') + body) },
    };
  },
  shopee(shop) {
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      shop_id: /^\d+$/.test(shop) ? Number(shop) : shop,
      code: 3,
      timestamp: now,
      data: { ordersn: ORDER_ID, status: process.env.STATUS ?? 'READY_TO_SHIP', update_time: now },
    });
    // Over the URL registered with Shopee, not the one this script posts to.
    return {
      body,
      headers: {
        authorization: hmacHex(env('SHOPEE_PARTNER_KEY'), `${env('SHOPEE_PUSH_URL')}|${body}`),
      },
    };
  },
  tiktok(shop) {
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: 1,
      tts_notification_id: `test-${Date.now()}`,
      shop_id: shop,
      timestamp: now,
      data: {
        order_id: ORDER_ID,
        order_status: process.env.STATUS ?? 'AWAITING_SHIPMENT',
        update_time: now,
      },
    });
    return {
      body,
      headers: { authorization: hmacHex(env('TIKTOK_APP_SECRET'), env('TIKTOK_APP_KEY') + body) },
    };
  },
  facebook(page) {
    const now = Date.now();
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: page,
          time: now,
          messaging: [
            {
              sender: { id: `psid-${now}` },
              recipient: { id: page },
              timestamp: now,
              message: { mid: `m_test_${now}`, text: 'Shop ơi còn size M không?' },
            },
          ],
        },
      ],
    });
    return {
      body,
      headers: { 'x-hub-signature-256': `sha256=${hmacHex(env('FACEBOOK_APP_SECRET'), body)}` },
    };
  },
  zalo(oa) {
    const appId = env('ZALO_APP_ID');
    const timestamp = String(Date.now());
    const body = JSON.stringify({
      app_id: appId,
      event_name: 'user_send_text',
      timestamp,
      sender: { id: `user-${timestamp}` },
      recipient: { id: oa },
      message: { msg_id: `msg-${timestamp}`, text: 'Cho mình hỏi giá' },
    });
    // A plain SHA-256 (not an HMAC) with the OA secret key, not the app secret.
    const mac = createHash('sha256')
      .update(appId + body + timestamp + env('ZALO_OA_SECRET'), 'utf8')
      .digest('hex');
    return { body, headers: { 'x-zevent-signature': `mac=${mac}` } };
  },
};

async function send(platform: string): Promise<boolean> {
  const build = platforms[platform];
  if (!build)
    throw new Error(`unknown platform "${platform}"; one of ${Object.keys(platforms).join(', ')}`);
  const shop = process.env.SHOP_ID ?? `${platform}-shop-1`;
  const push = build(shop);
  const response = await fetch(`${API_URL}/webhooks/${platform}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...push.headers },
    body: push.body,
  });
  const answer = await response.text();
  console.log(
    `${platform}: POST /webhooks/${platform} for ${shop} -> ${response.status} ${answer || '(empty body)'}`,
  );
  if (response.status === 429)
    console.log(`  rate limited: retry after ${response.headers.get('retry-after')} s`);
  return response.status === 200;
}

async function main(): Promise<void> {
  const chosen = process.argv.slice(2);
  if (chosen.length === 0)
    throw new Error(`name one or more platforms: ${Object.keys(platforms).join(' ')}`);
  let ok = true;
  for (const platform of chosen) ok = (await send(platform)) && ok;
  if (!ok) throw new Error('a push was not accepted (see above)');
  console.log(
    `accepted; order pushes were about ${ORDER_ID}. Check with: { inboundEvents(first: 5) { edges { node { platform shopId status lastError } } } }`,
  );
}

main().catch((error: unknown) => {
  console.error(`send-test-push failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
