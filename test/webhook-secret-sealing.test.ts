/**
 * Partner webhook signing secrets are sealed at rest like channel tokens:
 * the database holds `enc:v1:...`, the API shows the secret once, deliveries
 * still sign with it (test/partner-webhooks.test.ts), and rows from before
 * this release are sealed by the start-up pass (sealStoredCredentials).
 */
import { DEV_CREDENTIALS_KEY, createKeyring } from '../src/db/credential-cipher';
import { WebhookEndpoint } from '../src/entities';
import { webhookEndpointService } from '../src/services/webhooks/webhook-endpoint.service';
import { sealStoredCredentials } from '../src/services/channels/credential-rotation.service';
import { factories } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp({
    platformEnv: TEST_PLATFORM_ENV,
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
afterAll(async () => {
  await t.close();
});

const rawSecrets = async (id: string) =>
  (
    await t.orm.em
      .fork()
      .execute<{ secret: string; previous_secret: string | null }[]>(
        'select secret, previous_secret from webhook_endpoint where id = ?',
        [id],
      )
  )[0]!;

it('stores the secret shown at creation and after a rotation sealed, never as plain text', async () => {
  const channel = await make.channel();
  const key = await t.gql<{ createApiKey: { apiKey: { id: string } } }>(
    'mutation($ids: [ID!]!) { createApiKey(name: "erp", channelIds: $ids) { apiKey { id } } }',
    { ids: [channel.id] },
  );
  expect(key.errors).toBeUndefined();
  const created = await t.gql<{
    createWebhookEndpoint: { endpoint: { id: string }; secret: string };
  }>(
    `mutation($key: ID!) {
       createWebhookEndpoint(apiKeyId: $key, url: "http://127.0.0.1:9/hooks", events: [CONFIRMED]) { endpoint { id } secret }
     }`,
    { key: key.data!.createApiKey.apiKey.id },
  );
  expect(created.errors).toBeUndefined();
  const { endpoint, secret } = created.data!.createWebhookEndpoint;
  const sealed = await rawSecrets(endpoint.id);
  expect(sealed.secret).toMatch(/^enc:v1:/);
  expect(sealed.secret).not.toContain(secret);

  const rotated = await t.gql<{ rotateWebhookSecret: { secret: string } }>(
    'mutation($id: ID!) { rotateWebhookSecret(id: $id, graceHours: 2) { secret } }',
    { id: endpoint.id },
  );
  expect(rotated.errors).toBeUndefined();
  const after = await rawSecrets(endpoint.id);
  expect(after.secret).toMatch(/^enc:v1:/);
  expect(after.previous_secret).toMatch(/^enc:v1:/);
  expect(after.previous_secret).not.toContain(secret);
  // What signs a delivery is what the admin was shown.
  const loaded = await t.orm.em.fork().findOneOrFail(WebhookEndpoint, endpoint.id);
  expect(webhookEndpointService.signingSecrets(loaded, new Date())).toEqual([
    rotated.data!.rotateWebhookSecret.secret,
    secret,
  ]);
});

it('seals a plain-text secret left from before this release, which then still signs', async () => {
  const channel = await make.channel();
  const key = await t.gql<{ createApiKey: { apiKey: { id: string } } }>(
    'mutation($ids: [ID!]!) { createApiKey(name: "old", channelIds: $ids) { apiKey { id } } }',
    { ids: [channel.id] },
  );
  const created = await t.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
    `mutation($key: ID!) {
       createWebhookEndpoint(apiKeyId: $key, url: "http://127.0.0.1:9/old", events: [CONFIRMED]) { endpoint { id } }
     }`,
    { key: key.data!.createApiKey.apiKey.id },
  );
  const id = created.data!.createWebhookEndpoint.endpoint.id;
  await t.orm.em
    .fork()
    .execute(`update webhook_endpoint set secret = 'whsec_plain_from_before' where id = ?`, [id]);
  await sealStoredCredentials(t.orm, createKeyring(DEV_CREDENTIALS_KEY, []));
  expect((await rawSecrets(id)).secret).toMatch(/^enc:v1:/);
  const loaded = await t.orm.em.fork().findOneOrFail(WebhookEndpoint, id);
  expect(loaded.secret).toBe('whsec_plain_from_before');
});
