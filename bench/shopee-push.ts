import { createHmac } from 'node:crypto';
import http from 'node:http';

/** Where and how the load signs Shopee order pushes (the server's SHOPEE_* settings). */
export type ShopeePushTarget = {
  port: number;
  shop: string;
  partnerKey: string;
  pushUrl: string;
};

/**
 * Sends signed Shopee order-status pushes to a local API, as the platform
 * does (HMAC of the push URL and the body); resolves with the HTTP status.
 */
export function shopeePusher(target: ShopeePushTarget, agent: http.Agent) {
  return (order: string, status: string) =>
    new Promise<number>((resolve, reject) => {
      const time = Math.floor(Date.now() / 1000);
      const body = `{"shop_id":${target.shop},"code":3,"timestamp":${time},"data":{"ordersn":"${order}","status":"${status}","update_time":${time}}}`;
      const signature = createHmac('sha256', target.partnerKey)
        .update(`${target.pushUrl}|`)
        .update(body)
        .digest('hex');
      const req = http.request(
        {
          host: '127.0.0.1',
          port: target.port,
          path: '/webhooks/shopee',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}
