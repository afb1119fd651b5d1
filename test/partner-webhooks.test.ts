import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InboundEvent, WebhookDelivery } from '../src/entities';
import { OrderStatus, Platform, Role, WebhookDeliveryStatus } from '../src/entities/enums';
import { checkWebhookUrl, isInternalAddress } from '../src/services/webhooks/webhook-url';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { pushes, TEST_PLATFORM_ENV, type SignedPush, postPush } from './support/webhooks';
import { subscriber, waitFor } from './support/ws';

/**
 * Partner webhooks over real HTTP: order events arrive as signed marketplace
 * pushes, leave as signed POSTs to a local receiver, and are checked by what
 * the receiver saw (X-Webhook-Id, signature, order, retries).
 */
type Received = { id: string; timestamp: string; signature: string; body: string; at: number };

/** A partner's receiver; `respond` decides each answer (status, or 'hang' past the timeout). */
function receiver(
  respond: (body: Record<string, unknown>, nth: number) => number | 'hang' = () => 200,
) {
  const received: Received[] = [];
  let nth = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      nth += 1;
      const answer = respond(JSON.parse(body) as Record<string, unknown>, nth);
      received.push({
        id: String(request.headers['x-webhook-id']),
        timestamp: String(request.headers['x-webhook-timestamp']),
        signature: String(request.headers['x-webhook-signature']),
        body,
        at: Date.now(),
      });
      if (answer === 'hang') return;
      response.writeHead(answer).end('ok');
    });
  });
  return {
    received,
    /** Accepted deliveries only (2xx answers), in arrival order. */
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`),
        ),
      ),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The documented recipe (docs/partner-apps.md). */
function verifies(secret: string, received: Received): boolean {
  const expected = `v1=${createHmac('sha256', secret).update(`${received.timestamp}.${received.body}`).digest('hex')}`;
  return received.signature.split(' ').includes(expected);
}

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp({
    jobs: true,
    platformEnv: { ...TEST_PLATFORM_ENV, WEBHOOK_RATE_LIMIT_PER_SECOND: '10000' },
    config: {
      partnerWebhooks: {
        timeoutMs: 400,
        allowPrivateUrls: true,
        requireHttps: false,
        retentionDays: 30,
      },
    },
  });
  make = factories(t.orm);
});
afterAll(() => t.close());

let counter = 0;
const unique = () => `${Date.now()}${(counter += 1)}`;
const post = async (push: SignedPush) =>
  expect((await postPush(t.app.httpServer, push)).status).toBe(200);
const ALL_STATUSES = Object.values(OrderStatus);

async function partnerKey(channelIds: string[]): Promise<{ id: string; secret: string }> {
  const created = await t.gql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
    'mutation($ids: [ID!]!) { createApiKey(name: "erp", channelIds: $ids) { apiKey { id } secret } }',
    { ids: channelIds },
  );
  expect(created.errors).toBeUndefined();
  return { id: created.data!.createApiKey.apiKey.id, secret: created.data!.createApiKey.secret };
}

async function endpoint(apiKeyId: string, url: string, events: string[] = ALL_STATUSES) {
  const created = await t.gql<{
    createWebhookEndpoint: {
      endpoint: { id: string; apiKeyId: string; status: string };
      secret: string;
    };
  }>(
    `mutation($key: ID!, $url: String!, $events: [OrderStatus!]!) {
       createWebhookEndpoint(apiKeyId: $key, url: $url, events: $events) { endpoint { id apiKeyId status } secret }
     }`,
    { key: apiKeyId, url, events },
  );
  expect(created.errors).toBeUndefined();
  return {
    id: created.data!.createWebhookEndpoint.endpoint.id,
    secret: created.data!.createWebhookEndpoint.secret,
  };
}

async function lazadaShop() {
  const shop = `5000${unique()}`;
  const channel = await make.channel({ platform: Platform.LAZADA, externalShopId: shop });
  return { shop, channelId: channel.id };
}

const deliveriesOf = (endpointId: string) =>
  t.orm.em.fork().find(WebhookDelivery, { endpoint: endpointId }, { orderBy: { sequence: 'asc' } });

describe('partner webhooks', () => {
  test('one signed delivery per event and endpoint; a repeated push adds none; the cursor is orderEvents cursor', async () => {
    const { shop, channelId } = await lazadaShop();
    const key = await partnerKey([channelId]);
    const first = receiver();
    const second = receiver();
    const a = await endpoint(key.id, await first.start());
    const b = await endpoint(key.id, await second.start());
    try {
      const order = `L${unique()}`;
      const ws = subscriber(t.wsUrl, { 'x-api-key': key.secret });
      const sub = ws.subscribe(
        'subscription { orderEvents { cursor status order { externalId } } }',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const steps = ['pending', 'packed', 'shipped'];
      for (const [i, status] of steps.entries()) {
        const push = pushes.lazada(shop, order, status, 1_718_600_000 + i);
        await post(push);
        await post(push); // the marketplace sends it again
      }
      await waitFor(() => first.received.length >= 3 && second.received.length >= 3, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      for (const [rx, ep] of [
        [first, a],
        [second, b],
      ] as const) {
        expect(rx.received).toHaveLength(3);
        expect(new Set(rx.received.map((r) => r.id)).size).toBe(3);
        for (const r of rx.received) {
          expect(verifies(ep.secret, r)).toBe(true);
          expect(verifies(ep.secret === a.secret ? b.secret : a.secret, r)).toBe(false);
          expect(JSON.parse(r.body)).toMatchObject({ id: r.id, type: 'order.status_changed' });
        }
      }
      // Each endpoint's ids are its own; the cursors are those orderEvents delivers.
      expect(first.received.map((r) => r.id)).not.toEqual(second.received.map((r) => r.id));
      await waitFor(() => sub.events.length >= 3, 5_000);
      const live = sub.events.map(
        (e) => (e.data as { orderEvents: { cursor: string } }).orderEvents.cursor,
      );
      expect(first.received.map((r) => (JSON.parse(r.body) as { cursor: string }).cursor)).toEqual(
        live,
      );
      // An inbound event replayed by an operator moves nothing and announces nothing.
      const inbound = await t.orm.em
        .fork()
        .findOneOrFail(InboundEvent, { platform: Platform.LAZADA, shopId: shop });
      const replayed = await t.gql('mutation($id: ID!) { replayInboundEvent(id: $id) { id } }', {
        id: inbound.id,
      });
      expect(replayed.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(first.received).toHaveLength(3);
      expect(second.received).toHaveLength(3);
      const stored = await deliveriesOf(a.id);
      expect(stored.map((d) => d.id)).toEqual(first.received.map((r) => r.id));
      expect(
        stored.every(
          (d) =>
            d.status === WebhookDeliveryStatus.SUCCEEDED &&
            d.attempts === 1 &&
            d.lastResponseCode === 200,
        ),
      ).toBe(true);
      await ws.client.dispose();
    } finally {
      await first.close();
      await second.close();
    }
  });

  test("an endpoint of another key's channel never receives the event; events filter what is sent", async () => {
    const mine = await lazadaShop();
    const theirs = await lazadaShop();
    const myKey = await partnerKey([mine.channelId]);
    const rx = receiver();
    const shippedOnly = receiver();
    const url = await rx.start();
    await endpoint(myKey.id, url);
    await endpoint(myKey.id, await shippedOnly.start(), [OrderStatus.SHIPPED]);
    try {
      const other = `L${unique()}`;
      const own = `L${unique()}`;
      await post(pushes.lazada(theirs.shop, other, 'pending', 1_718_700_000));
      await post(pushes.lazada(mine.shop, own, 'pending', 1_718_700_000));
      await post(pushes.lazada(theirs.shop, other, 'shipped', 1_718_700_010));
      await post(pushes.lazada(mine.shop, own, 'shipped', 1_718_700_010));
      await waitFor(() => rx.received.length >= 2 && shippedOnly.received.length >= 1, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const orders = rx.received.map(
        (r) =>
          (JSON.parse(r.body) as { data: { order: { externalId: string } } }).data.order.externalId,
      );
      expect(orders).toEqual([own, own]);
      expect(shippedOnly.received).toHaveLength(1);
      expect(JSON.parse(shippedOnly.received[0]!.body)).toMatchObject({
        data: { status: 'SHIPPED', order: { externalId: own } },
      });
    } finally {
      await rx.close();
      await shippedOnly.close();
    }
  });

  test('retries on 500 and on a timeout with the same X-Webhook-Id, and keeps each order in order', async () => {
    const { shop, channelId } = await lazadaShop();
    const key = await partnerKey([channelId]);
    const slow = `L${unique()}`;
    const fast = `L${unique()}`;
    // The first attempt of `slow`'s first event gets a 500, the second hangs past the timeout.
    let slowAttempts = 0;
    const rx = receiver((body) => {
      const order = (body as { data: { order: { externalId: string }; status: string } }).data;
      if (order.order.externalId !== slow || order.status !== 'CONFIRMED') return 200;
      slowAttempts += 1;
      return slowAttempts === 1 ? 500 : slowAttempts === 2 ? 'hang' : 200;
    });
    const ep = await endpoint(key.id, await rx.start());
    try {
      await post(pushes.lazada(shop, slow, 'pending', 1_718_800_000));
      await post(pushes.lazada(shop, fast, 'pending', 1_718_800_000));
      await post(pushes.lazada(shop, slow, 'shipped', 1_718_800_010));
      await waitFor(() => rx.received.filter((r) => r.body.includes(slow)).length >= 4, 40_000);
      const slowOnes = rx.received.filter((r) => r.body.includes(slow));
      // The same delivery three times, then the next event of that order, never before.
      expect(slowOnes.slice(0, 3).map((r) => r.id)).toEqual([
        slowOnes[0]!.id,
        slowOnes[0]!.id,
        slowOnes[0]!.id,
      ]);
      expect(JSON.parse(slowOnes[3]!.body)).toMatchObject({ data: { status: 'SHIPPED' } });
      // Another order was not held up by the failing one.
      const fastAt = rx.received.find((r) => r.body.includes(fast))!.at;
      expect(fastAt).toBeLessThan(slowOnes[2]!.at);
      const page = await t.gql<{
        webhookDeliveries: {
          edges: {
            node: {
              id: string;
              status: string;
              attempts: number;
              lastResponseCode: number | null;
              lastError: string | null;
            };
          }[];
        };
      }>(
        'query($id: ID!) { webhookDeliveries(endpointId: $id, first: 10) { edges { node { id status attempts lastResponseCode lastError lastLatencyMs cursor } } } }',
        { id: ep.id },
      );
      expect(page.errors).toBeUndefined();
      const retried = page.data!.webhookDeliveries.edges.find(
        (e) => e.node.id === slowOnes[0]!.id,
      )!.node;
      expect(retried).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastResponseCode: 200 });
    } finally {
      await rx.close();
    }
  }, 60_000);

  test('after a rotation both secrets verify until the grace period ends; redelivery keeps the id', async () => {
    const { shop, channelId } = await lazadaShop();
    const key = await partnerKey([channelId]);
    const rx = receiver();
    const ep = await endpoint(key.id, await rx.start());
    try {
      const order = `L${unique()}`;
      await post(pushes.lazada(shop, order, 'pending', 1_718_900_000));
      await waitFor(() => rx.received.length >= 1, 15_000);
      const rotated = await t.gql<{
        rotateWebhookSecret: { secret: string; endpoint: { previousSecretExpiresAt: string } };
      }>(
        'mutation($id: ID!) { rotateWebhookSecret(id: $id, graceHours: 2) { secret endpoint { previousSecretExpiresAt } } }',
        { id: ep.id },
      );
      expect(rotated.errors).toBeUndefined();
      const fresh = rotated.data!.rotateWebhookSecret.secret;
      expect(fresh).not.toBe(ep.secret);
      await post(pushes.lazada(shop, order, 'shipped', 1_718_900_010));
      await waitFor(() => rx.received.length >= 2, 15_000);
      expect(verifies(fresh, rx.received[1]!)).toBe(true);
      expect(verifies(ep.secret, rx.received[1]!)).toBe(true);
      expect(verifies(ep.secret, rx.received[0]!)).toBe(true);
      expect(verifies(fresh, rx.received[0]!)).toBe(false);

      const again = await t.gql<{ redeliverWebhook: { id: string; status: string } }>(
        'mutation($id: ID!) { redeliverWebhook(id: $id) { id status } }',
        { id: rx.received[0]!.id },
      );
      expect(again.data?.redeliverWebhook).toEqual({ id: rx.received[0]!.id, status: 'PENDING' });
      await waitFor(() => rx.received.length >= 3, 15_000);
      expect(rx.received[2]!.id).toBe(rx.received[0]!.id);
      expect(rx.received[2]!.body).toBe(rx.received[0]!.body);

      // Everything after the first event's cursor, again: the second event, same id.
      const cursor = (JSON.parse(rx.received[0]!.body) as { cursor: string }).cursor;
      const since = await t.gql<{ redeliverWebhooksSince: number }>(
        'mutation($id: ID!, $cursor: String!) { redeliverWebhooksSince(endpointId: $id, cursor: $cursor) }',
        { id: ep.id, cursor },
      );
      expect(since.data?.redeliverWebhooksSince).toBe(1);
      await waitFor(() => rx.received.length >= 4, 15_000);
      expect(rx.received[3]!.id).toBe(rx.received[1]!.id);
    } finally {
      await rx.close();
    }
  });

  test('URLs to internal addresses, non-http schemes and revoked keys are refused and nothing is stored', async () => {
    const strict = await startTestApp({ database: t.database });
    try {
      const { channelId } = await lazadaShop();
      const key = await partnerKey([channelId]);
      const attempt = (url: string, apiKeyId = key.id) =>
        strict.gql(
          'mutation($key: ID!, $url: String!) { createWebhookEndpoint(apiKeyId: $key, url: $url, events: [SHIPPED]) { secret } }',
          { key: apiKeyId, url },
        );
      for (const url of [
        'http://127.0.0.1:9/hooks',
        'http://localhost/hooks',
        'http://[::1]/hooks',
        'http://10.1.2.3/x',
        'http://169.254.169.254/latest/meta-data',
        'http://192.168.1.10/x',
        'http://[::ffff:127.0.0.1]/x',
        'ftp://partner.example/x',
        'https://user:pass@partner.example/x',
        'not a url',
      ]) {
        const refused = await attempt(url);
        expect(refused.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'url',
        });
      }
      await strict.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id });
      const revoked = await attempt('https://93.184.216.34/x');
      expect(revoked.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'apiKeyId',
      });
      const listed = await strict.gql<{ webhookEndpoints: unknown[] }>(
        'query($key: ID) { webhookEndpoints(apiKeyId: $key) { id } }',
        { key: key.id },
      );
      expect(listed.data?.webhookEndpoints).toEqual([]);
    } finally {
      await strict.close();
    }
    await expect(
      checkWebhookUrl('http://partner.example/x', { requireHttps: true, allowPrivateUrls: true }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(isInternalAddress('8.8.8.8')).toBe(false);
    expect(isInternalAddress('100.64.0.1')).toBe(true);
    expect(isInternalAddress('fd00::1')).toBe(true);
  });

  test('only an Admin manages endpoints; partner keys and staff are FORBIDDEN', async () => {
    const { channelId } = await lazadaShop();
    const key = await partnerKey([channelId]);
    const staff = await make.user({ role: Role.TELESALES });
    for (const auth of [{ apiKey: key.secret }, { token: t.tokenFor(staff) }]) {
      const denied = await t.gql('query { webhookEndpoints { id } }', {}, auth);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});
