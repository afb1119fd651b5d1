import type { Server } from 'node:http';
import request from 'supertest';
import { hmacSha256Hex as hmac } from '../integrations/helpers';

/** The marketplace app credentials test servers run with. */
export const TEST_PLATFORM_ENV = {
  LAZADA_APP_KEY: '123456',
  LAZADA_APP_SECRET: 'lz-test-secret',
  SHOPEE_PARTNER_ID: '2001',
  SHOPEE_PARTNER_KEY: 'sp-test-partner-key',
  SHOPEE_PUSH_URL: 'https://crm.test/webhooks/shopee',
  TIKTOK_APP_KEY: 'tt-app-key',
  TIKTOK_APP_SECRET: 'tt-test-secret',
  FACEBOOK_APP_SECRET: 'fb-test-app-secret',
  FACEBOOK_VERIFY_TOKEN: 'fb-verify-token',
  ZALO_APP_ID: '4291000000000000000',
  ZALO_OA_SECRET: 'zl-test-oa-secret',
} as const;

export type SignedPush = { platform: string; body: Buffer; headers: Record<string, string> };

const e = TEST_PLATFORM_ENV;

/** A signed order-status push as each platform sends it (platforms.md), for shop `shop`. */
export const pushes = {
  lazada(shop: string, order: string, status: string, time: number): SignedPush {
    const body = Buffer.from(
      `{"seller_id": "${shop}", "message_type": 0, "timestamp": ${time * 1000}, "site": "lazada_vn", ` +
        `"data": {"order_status": "${status}", "trade_order_id": "${order}", "trade_order_line_id": "${order}1", ` +
        `"status_update_time": ${time}, "buyer_name": "Nguyễn Thị Lan"}}`,
    );
    return {
      platform: 'lazada',
      body,
      headers: { authorization: hmac(e.LAZADA_APP_SECRET, e.LAZADA_APP_KEY, body) },
    };
  },
  shopee(shop: string, order: string, status: string, time: number): SignedPush {
    const body = Buffer.from(
      `{"shop_id":${shop},"code":3,"timestamp":${time},"data":{"ordersn":"${order}","status":"${status}",` +
        `"update_time":${time},"items":[],"buyer_username":"Trần Văn Hùng"}}`,
    );
    return {
      platform: 'shopee',
      body,
      headers: { authorization: hmac(e.SHOPEE_PARTNER_KEY, `${e.SHOPEE_PUSH_URL}|`, body) },
    };
  },
  /** Shopee's code 12: the shop's authorization ends at `endsAt` (Unix seconds). */
  shopeeAuthorizationExpiring(shop: string, endsAt: number): SignedPush {
    const now = Math.floor(Date.now() / 1000);
    const body = Buffer.from(
      `{"shop_id":${shop},"code":12,"timestamp":${now},"data":{"shop_expire_soon":[${shop}],"expire_before":${endsAt}}}`,
    );
    return {
      platform: 'shopee',
      body,
      headers: { authorization: hmac(e.SHOPEE_PARTNER_KEY, `${e.SHOPEE_PUSH_URL}|`, body) },
    };
  },
  tiktok(shop: string, order: string, status: string, time: number): SignedPush {
    const body = Buffer.from(
      `{"type":1,"tts_notification_id":"n-${order}-${status}","shop_id":"${shop}","timestamp":${time},` +
        `"data":{"order_id":"${order}","order_status":"${status}","update_time":${time}}}`,
    );
    return {
      platform: 'tiktok',
      body,
      headers: { authorization: hmac(e.TIKTOK_APP_SECRET, e.TIKTOK_APP_KEY, body) },
    };
  },
  sendo(shop: string, order: string, status: string, time: number, shopKey: string): SignedPush {
    const body = Buffer.from(
      JSON.stringify({
        type: 'SALESORDER.CREATE',
        store_id: Number(shop),
        shop_key: shopKey,
        data: {
          order_number: order,
          store_id: Number(shop),
          order_status: Number(status),
          updated_date_time_stamp: time,
          buyer_name: 'Phạm Thu Hà',
        },
      }),
    );
    return { platform: 'sendo', body, headers: {} };
  },
};

/**
 * POSTs a signed push through supertest (chain `.set(…)` for more headers);
 * the body goes as the signed text, since superagent would re-serialize a Buffer.
 */
export function postPush(server: Server, push: SignedPush, path = `/webhooks/${push.platform}`) {
  return request(server)
    .post(path)
    .set('content-type', 'application/json')
    .set(push.headers)
    .send(push.body.toString('utf8'));
}

/** POSTs a signed push to a running test server over real HTTP, as the platform would. */
export async function sendPush(httpUrl: string, push: SignedPush): Promise<Response> {
  return fetch(`${httpUrl}/webhooks/${push.platform}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...push.headers },
    body: push.body,
  });
}
