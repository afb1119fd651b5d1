import { AuditLog, Channel, Order } from '../src/entities';
import { ChannelStatus, Platform, Role } from '../src/entities/enums';
import { channelAlertService } from '../src/services/channels/channel-alert.service';
import { factories } from './support/factories';
import { startTestApp, type Auth, type GraphQLResponse, type TestApp } from './support/test-app';
import { pushes, type SignedPush, postPush } from './support/webhooks';

const DAY_MS = 86_400_000;
const NO_ID = '00000000-0000-4000-8000-000000000000';

const CHANNEL_FIELDS = `id platform externalShopId name status tokenExpiresAt
  hasAccessToken hasShopKey hasShopSecret branch { id }`;
const CONNECT = `mutation($input: ConnectChannelInput!) {
  connectChannel(input: $input) { ${CHANNEL_FIELDS} }
}`;
const UPDATE = `mutation($id: ID!, $input: UpdateChannelInput!) {
  updateChannel(id: $id, input: $input) { ${CHANNEL_FIELDS} }
}`;

type ChannelView = {
  id: string;
  platform: Platform;
  externalShopId: string;
  name: string;
  status: string;
  tokenExpiresAt: string | null;
  hasAccessToken: boolean;
  hasShopKey: boolean;
  hasShopSecret: boolean;
  branch: { id: string } | null;
};

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

let sequence = 0;
const shopId = () => `2000${Date.now()}${(sequence += 1)}`;

const connect = (input: Record<string, unknown>, auth?: Auth) =>
  t.gql<{ connectChannel: ChannelView }>(CONNECT, { input }, auth);
const update = (id: string, input: Record<string, unknown>, auth?: Auth) =>
  t.gql<{ updateChannel: ChannelView }>(UPDATE, { id, input }, auth);

async function connected(input: Record<string, unknown>): Promise<ChannelView> {
  const res = await connect(input);
  expect(res.errors).toBeUndefined();
  return res.data!.connectChannel;
}

const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;

/** What a bad input must leave alone: the channel rows and the audit log. */
async function written() {
  const em = t.orm.em.fork();
  return {
    channels: await em.count(Channel, {}),
    audits: await em.count(AuditLog, { entityType: 'Channel' }),
    channelRows: JSON.stringify(
      await em.find(Channel, {}, { populate: ['accessToken', 'shopSecret'], orderBy: { id: 1 } }),
    ),
  };
}

const auditsOf = (channelId: string) =>
  t.orm.em
    .fork()
    .find(AuditLog, { entityType: 'Channel', entityId: channelId }, { orderBy: { createdAt: 1 } });

const post = (push: SignedPush) => postPush(t.app.httpServer, push);

async function orderAppears(platform: Platform, shop: string, externalId: string) {
  for (let i = 0; i < 200; i += 1) {
    const order = await t.orm.em.fork().findOne(Order, { platform, shopId: shop, externalId });
    if (order) return order;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`order ${externalId} of ${platform} shop ${shop} was never applied`);
}

test('a Lazada shop connected through the API takes its signed pushes', async () => {
  const branch = await make.branch();
  const shop = shopId();
  const expires = new Date(Date.now() + 30 * DAY_MS);
  const channel = await connected({
    platform: 'LAZADA',
    externalShopId: ` ${shop} `,
    name: ' Lazada Official Store ',
    branchId: branch.id,
    credentials: { accessToken: 'lz-token-1', tokenExpiresAt: expires.toISOString() },
  });
  expect(channel).toMatchObject({
    platform: 'LAZADA',
    externalShopId: shop,
    name: 'Lazada Official Store',
    status: 'ACTIVE',
    tokenExpiresAt: expires.toISOString(),
    hasAccessToken: true,
    hasShopKey: false,
    hasShopSecret: false,
    branch: { id: branch.id },
  });

  const order = `LZ${shop}`;
  expect((await post(pushes.lazada(shop, order, 'pending', 1_718_000_000))).status).toBe(200);
  const applied = await orderAppears(Platform.LAZADA, shop, order);
  expect(applied.status).toBe('CONFIRMED');
  expect(applied.channel.id).toBe(channel.id);

  const listed = await t.gql<{ channels: { channel: { id: string } }[] }>(
    '{ channels { channel { id } } }',
  );
  expect(listed.data!.channels.map((row) => row.channel.id)).toContain(channel.id);
});

test('a shop already connected is CONFLICT, and nothing is written', async () => {
  const shop = shopId();
  const first = await connected({ platform: 'SHOPEE', externalShopId: shop, name: 'Shopee HCM' });
  const before = await written();
  const again = await connect({
    platform: 'SHOPEE',
    externalShopId: shop,
    name: 'Shopee again',
    credentials: { accessToken: 'sp-other' },
  });
  expect(again.data).toBeNull();
  expect(again.errors![0]!.extensions).toMatchObject({
    code: 'CONFLICT',
    existingChannelId: first.id,
  });
  expect(await written()).toEqual(before);

  // The same id on another platform is another shop.
  await connected({ platform: 'TIKTOK', externalShopId: shop, name: 'TikTok HCM' });
});

test('two connects of one shop at once: one channel, the other CONFLICT', async () => {
  const shop = shopId();
  const results = await Promise.all(
    [1, 2, 3].map((n) => connect({ platform: 'ZALO', externalShopId: shop, name: `OA ${n}` })),
  );
  expect(results.filter((res) => !res.errors)).toHaveLength(1);
  expect(results.filter((res) => codeOf(res) === 'CONFLICT')).toHaveLength(2);
  expect(
    await t.orm.em.fork().count(Channel, { platform: Platform.ZALO, externalShopId: shop }),
  ).toBe(1);
});

test('bad inputs get stable codes and change nothing', async () => {
  const sendo = await connected({
    platform: 'SENDO',
    externalShopId: shopId(),
    name: 'Sendo',
    credentials: { shopKey: 'sendo-key', shopSecret: 'sendo-secret' },
  });
  const before = await written();
  const valid = { platform: 'LAZADA', externalShopId: shopId(), name: 'Lazada' };
  const past = new Date(Date.now() - DAY_MS).toISOString();
  const cases: [Record<string, unknown>, string, string | undefined][] = [
    [{ ...valid, name: '   ' }, 'BAD_USER_INPUT', 'name'],
    [{ ...valid, name: 'x'.repeat(201) }, 'BAD_USER_INPUT', 'name'],
    [{ ...valid, externalShopId: '' }, 'BAD_USER_INPUT', 'externalShopId'],
    [{ ...valid, externalShopId: 'shop 1' }, 'BAD_USER_INPUT', 'externalShopId'],
    [{ ...valid, externalShopId: 'shop:1' }, 'BAD_USER_INPUT', 'externalShopId'],
    [{ ...valid, externalShopId: '9'.repeat(101) }, 'BAD_USER_INPUT', 'externalShopId'],
    [{ ...valid, platform: 'AMAZON' }, 'BAD_USER_INPUT', undefined],
    [{ ...valid, platform: 'SENDO' }, 'BAD_USER_INPUT', 'shopKey'],
    [
      { ...valid, platform: 'SENDO', credentials: { shopKey: 'k' } },
      'BAD_USER_INPUT',
      'shopSecret',
    ],
    [{ ...valid, credentials: { shopKey: 'k' } }, 'BAD_USER_INPUT', 'shopKey'],
    [{ ...valid, credentials: { accessToken: '  ' } }, 'BAD_USER_INPUT', 'accessToken'],
    [
      { ...valid, credentials: { accessToken: 't', tokenExpiresAt: past } },
      'BAD_USER_INPUT',
      'tokenExpiresAt',
    ],
    [{ ...valid, branchId: 'HCM' }, 'BAD_USER_INPUT', 'branchId'],
    [{ ...valid, branchId: NO_ID }, 'NOT_FOUND', undefined],
  ];
  for (const [input, code, field] of cases) {
    const res = await connect(input);
    expect({ input, code: codeOf(res), field: res.errors?.[0]?.extensions?.field }).toEqual({
      input,
      code,
      field,
    });
  }

  const updates: [string, Record<string, unknown>, string, string | undefined][] = [
    [NO_ID, { name: 'x' }, 'NOT_FOUND', undefined],
    ['nope', { name: 'x' }, 'BAD_USER_INPUT', 'id'],
    [sendo.id, { name: '' }, 'BAD_USER_INPUT', 'name'],
    [sendo.id, { name: null }, 'BAD_USER_INPUT', 'name'],
    [sendo.id, { status: null }, 'BAD_USER_INPUT', 'status'],
    [sendo.id, { status: 'TOKEN_EXPIRED' }, 'BAD_USER_INPUT', 'status'],
    [sendo.id, { credentials: { shopKey: null } }, 'BAD_USER_INPUT', 'shopKey'],
    [sendo.id, { branchId: NO_ID }, 'NOT_FOUND', undefined],
    // One bad field spoils the whole change: the rename is not applied either.
    [
      sendo.id,
      { name: 'Renamed', credentials: { accessToken: 'x', tokenExpiresAt: past } },
      'BAD_USER_INPUT',
      'tokenExpiresAt',
    ],
  ];
  for (const [id, input, code, field] of updates) {
    const res = await update(id, input);
    expect({ input, code: codeOf(res), field: res.errors?.[0]?.extensions?.field }).toEqual({
      input,
      code,
      field,
    });
  }
  expect(await written()).toEqual(before);
});

test('only Admin and IT may connect or change a channel', async () => {
  const channel = await connected({ platform: 'FACEBOOK', externalShopId: shopId(), name: 'Page' });
  const it = await make.user({ role: Role.IT });
  const byIt = await update(channel.id, { name: 'Page (IT)' }, { token: t.tokenFor(it) });
  expect(byIt.data!.updateChannel.name).toBe('Page (IT)');

  const before = await written();
  for (const role of [
    Role.BOD,
    Role.TELESALES_LEADER,
    Role.CUSTOMER_SERVICE_LEADER,
    Role.TELESALES,
    Role.CUSTOMER_SERVICE,
  ]) {
    const auth = { token: t.tokenFor(await make.user({ role })) };
    const created = await connect(
      { platform: 'FACEBOOK', externalShopId: shopId(), name: 'x' },
      auth,
    );
    const changed = await update(channel.id, { name: 'x' }, auth);
    expect([role, codeOf(created), codeOf(changed)]).toEqual([role, 'FORBIDDEN', 'FORBIDDEN']);
  }
  const anonymous = await connect(
    { platform: 'FACEBOOK', externalShopId: shopId(), name: 'x' },
    'anonymous',
  );
  expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
  expect(await written()).toEqual(before);
});

test('secrets are write-only: no field returns them, only whether they are set', async () => {
  const secrets = ['sendo-key-rd', 'sendo-secret-rd', 'access-token-rd'];
  const channel = await connected({
    platform: 'SENDO',
    externalShopId: shopId(),
    name: 'Sendo secrets',
    credentials: { shopKey: secrets[0], shopSecret: secrets[1], accessToken: secrets[2] },
  });
  expect(channel).toMatchObject({ hasAccessToken: true, hasShopKey: true, hasShopSecret: true });

  const type = await t.gql<{ __type: { fields: { name: string }[] } }>(
    '{ __type(name: "Channel") { fields { name } } }',
  );
  const fields = type.data!.__type.fields.map((field) => field.name);
  expect(fields).toEqual(expect.arrayContaining(['hasAccessToken', 'hasShopKey', 'hasShopSecret']));
  for (const field of fields) expect(field).not.toMatch(/^(accessToken|shopKey|shopSecret)$/i);

  // Every scalar field of Channel, however it is reached, never carries a secret.
  const scalars = fields.filter((field) => field !== 'branch').join(' ');
  const read = await t.gql(`{ channels { channel { ${scalars} } } }`);
  expect(read.errors).toBeUndefined();
  const text = JSON.stringify(read);
  for (const secret of secrets) expect(text).not.toContain(secret);

  const stored = await t.orm.em
    .fork()
    .findOneOrFail(Channel, channel.id, { populate: ['accessToken', 'shopSecret'] });
  expect([stored.shopKey, stored.shopSecret, stored.accessToken]).toEqual(secrets);
});

test('rotating the token resets the expiry alert; clearing credentials is possible', async () => {
  const now = new Date();
  const firstExpiry = new Date(now.getTime() + 3 * DAY_MS);
  const channel = await connected({
    platform: 'TIKTOK',
    externalShopId: shopId(),
    name: 'TikTok Shop',
    credentials: { accessToken: 'tt-old', tokenExpiresAt: firstExpiry.toISOString() },
  });
  const claimed = async (at: Date) =>
    (await channelAlertService.claimDue(t.orm.em.fork(), at)).filter(
      (alert) => alert.channelId === channel.id,
    );
  expect(await claimed(now)).toMatchObject([{ tokenExpiresAt: firstExpiry.toISOString() }]);
  // Claimed today: the same day's rerun is quiet.
  expect(await claimed(new Date(now.getTime() + 1000))).toEqual([]);

  const secondExpiry = new Date(now.getTime() + 5 * DAY_MS);
  const rotated = await update(channel.id, {
    credentials: { accessToken: 'tt-new', tokenExpiresAt: secondExpiry.toISOString() },
  });
  expect(rotated.data!.updateChannel).toMatchObject({
    hasAccessToken: true,
    tokenExpiresAt: secondExpiry.toISOString(),
  });
  const stored = await t.orm.em
    .fork()
    .findOneOrFail(Channel, channel.id, { populate: ['accessToken'] });
  expect(stored.accessToken).toBe('tt-new');
  expect([stored.tokenAlertedFor ?? null, stored.tokenAlertedAt ?? null]).toEqual([null, null]);
  expect(await claimed(new Date(now.getTime() + 2000))).toMatchObject([
    { tokenExpiresAt: secondExpiry.toISOString(), daysLeft: 4 },
  ]);

  // A channel the platform declared expired comes back with its new token.
  await t.orm.em
    .fork()
    .nativeUpdate(Channel, { id: channel.id }, { status: ChannelStatus.TOKEN_EXPIRED });
  const renewed = await update(channel.id, {
    credentials: { accessToken: 'tt-renewed', tokenExpiresAt: secondExpiry.toISOString() },
  });
  expect(renewed.data!.updateChannel.status).toBe('ACTIVE');

  // A new token without an expiry does not keep the old token's expiry.
  const noExpiry = await update(channel.id, { credentials: { accessToken: 'tt-forever' } });
  expect(noExpiry.data!.updateChannel.tokenExpiresAt).toBeNull();

  const cleared = await update(channel.id, { credentials: { accessToken: null } });
  expect(cleared.data!.updateChannel.hasAccessToken).toBe(false);
  const after = await t.orm.em
    .fork()
    .findOneOrFail(Channel, channel.id, { populate: ['accessToken'] });
  expect(after.accessToken ?? null).toBeNull();
});

test('a paused (DISCONNECTED) channel is not synced or alerted, but its pushes still apply', async () => {
  const shop = shopId();
  const expiry = new Date(Date.now() + 2 * DAY_MS);
  const channel = await connected({
    platform: 'LAZADA',
    externalShopId: shop,
    name: 'Lazada paused',
    credentials: { accessToken: 'lz-paused', tokenExpiresAt: expiry.toISOString() },
  });
  const paused = await update(channel.id, { status: 'DISCONNECTED' });
  expect(paused.data!.updateChannel.status).toBe('DISCONNECTED');

  const claimed = async () =>
    (await channelAlertService.claimDue(t.orm.em.fork(), new Date())).filter(
      (alert) => alert.channelId === channel.id,
    );
  expect(await claimed()).toEqual([]);
  const sync = await t.gql(
    `mutation($id: ID!) { startOrderSync(channelId: $id, from: "${new Date(Date.now() - DAY_MS).toISOString()}", to: "${new Date().toISOString()}") { id } }`,
    { id: channel.id },
  );
  expect(codeOf(sync)).toBe('BAD_USER_INPUT');

  // The platform still reports real order changes: they are kept, never dropped.
  const order = `LZP${shop}`;
  expect((await post(pushes.lazada(shop, order, 'pending', 1_718_000_000))).status).toBe(200);
  await orderAppears(Platform.LAZADA, shop, order);

  const resumed = await update(channel.id, { status: 'ACTIVE' });
  expect(resumed.data!.updateChannel.status).toBe('ACTIVE');
  expect(await claimed()).toHaveLength(1);
});

test('every change is audited by whom and what, never with a secret', async () => {
  const branch = await make.branch();
  const secrets = ['audit-key-1', 'audit-secret-1', 'audit-token-1', 'audit-token-2'];
  const channel = await connected({
    platform: 'SENDO',
    externalShopId: shopId(),
    name: 'Sendo audited',
    credentials: { shopKey: secrets[0], shopSecret: secrets[1], accessToken: secrets[2] },
  });
  await update(channel.id, {
    name: 'Sendo renamed',
    branchId: branch.id,
    credentials: { accessToken: secrets[3] },
  });
  // Nothing changes: nothing to audit.
  await update(channel.id, { name: 'Sendo renamed' });

  const rows = await auditsOf(channel.id);
  expect(rows.map((row) => [row.action, row.actor?.id])).toEqual([
    ['channel_connected', t.admin.id],
    ['channel_updated', t.admin.id],
  ]);
  expect(rows[0]!.data).toMatchObject({
    platform: 'SENDO',
    name: 'Sendo audited',
    secretsSet: ['accessToken', 'shopKey', 'shopSecret'],
  });
  expect(rows[1]!.data).toEqual({
    changes: {
      name: { from: 'Sendo audited', to: 'Sendo renamed' },
      branchId: { from: null, to: branch.id },
    },
    secretsSet: ['accessToken'],
    secretsCleared: [],
  });
  const text = JSON.stringify(rows);
  for (const secret of secrets) expect(text).not.toContain(secret);
});
