import { Channel, Conversation, Message } from '../src/entities';
import {
  ConversationStatus,
  MessageDirection,
  MessageSender,
  MessageStatus,
  Platform,
  Role,
} from '../src/entities/enums';
import { factories } from './support/factories';
import { startFakeSendApi, type FakeSendApi } from './support/fake-send-api';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';
import { waitFor } from './support/ws';

const MAX_ATTEMPTS = 3;
let t: TestApp;
let fake: FakeSendApi;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  fake = await startFakeSendApi();
  t = await startTestApp({
    jobs: true,
    platformEnv: {
      ...TEST_PLATFORM_ENV,
      ...fake.env,
      MESSAGE_SEND_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      MESSAGE_SEND_RETRY_BASE_MS: '100',
    },
  });
  make = factories(t.orm);
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

let sequence = 0;
const unique = (prefix: string) => `${prefix}${Date.now()}${(sequence += 1)}`;
const HOUR = 3_600_000;

async function conversation(
  platform: Platform,
  overrides: Partial<Conversation> = {},
): Promise<{ conversation: Conversation; channel: Channel; psid: string }> {
  const channel = await make.channel({
    platform,
    externalShopId: unique('page'),
    accessToken: unique('token-'),
  });
  const em = t.orm.em.fork();
  const psid = unique('psid');
  const row = em.create(Conversation, {
    channel: em.getReference(Channel, channel.id),
    externalThreadId: psid,
    externalUserId: psid,
    lastInboundAt: new Date(Date.now() - HOUR),
    lastMessageAt: new Date(Date.now() - HOUR),
    unreadCount: 1,
    ...overrides,
  });
  await em.flush();
  return { conversation: row, channel, psid };
}

const SEND = `mutation ($id: ID!, $text: String, $attachments: [MessageAttachmentInput!]) {
  sendMessage(conversationId: $id, text: $text, attachments: $attachments) { id status direction sender body }
}`;

type Sent = { sendMessage: { id: string; status: string } };

async function settled(messageId: string, timeoutMs = 10_000): Promise<Message> {
  let message: Message | null = null;
  await waitFor(() => {
    void t.orm.em
      .fork()
      .findOne(Message, { id: messageId })
      .then((row) => (message = row));
    return message !== null && message.status !== MessageStatus.PENDING;
  }, timeoutMs);
  return t.orm.em.fork().findOneOrFail(Message, messageId);
}

const requestsTo = (psid: string) =>
  fake.requests.filter(
    (r) =>
      (r.body.recipient as { id?: string; user_id?: string } | undefined)?.id === psid ||
      (r.body.recipient as { user_id?: string } | undefined)?.user_id === psid,
  );

test('an agent message is stored PENDING, sent through the Messenger Send API, then SENT with the platform id', async () => {
  const { conversation: c, channel, psid } = await conversation(Platform.FACEBOOK);
  const res = await t.gql<Sent>(SEND, { id: c.id, text: 'Dạ shop còn size M ạ' });
  expect(res.errors).toBeUndefined();
  expect(res.data?.sendMessage).toMatchObject({ status: 'PENDING' });
  const message = await settled(res.data!.sendMessage.id);
  expect(message.status).toBe(MessageStatus.SENT);
  expect(message.externalMessageId).toMatch(/^m_out_\d+$/);
  expect(message.attempts).toBe(1);
  const [call] = requestsTo(psid);
  expect(call?.path).toBe('/me/messages');
  const em = t.orm.em.fork();
  const token = (await em.findOneOrFail(Channel, channel.id, { populate: ['accessToken'] }))
    .accessToken;
  expect(call?.query.access_token).toBe(token);
  expect(call?.body).toMatchObject({
    recipient: { id: psid },
    message: { text: 'Dạ shop còn size M ạ' },
  });
  const after = await em.findOneOrFail(Conversation, c.id);
  expect(after.firstResponseAt).toBeTruthy();
});

test('500 twice, then accepted: SENT on the third attempt', async () => {
  const { conversation: c, psid } = await conversation(Platform.FACEBOOK);
  fake.failNext('facebook', { status: 500, times: 2 });
  const res = await t.gql<Sent>(SEND, { id: c.id, text: 'Thử lại nhé' });
  const message = await settled(res.data!.sendMessage.id);
  expect(message.status).toBe(MessageStatus.SENT);
  expect(message.attempts).toBe(3);
  expect(requestsTo(psid).map((r) => r.status)).toEqual([500, 500, 200]);
  // Backoff: the gaps grow (100 ms, then 200 ms, plus polling).
  const [a, b, c2] = requestsTo(psid).map((r) => r.at);
  expect(b! - a!).toBeGreaterThanOrEqual(100);
  expect(c2! - b!).toBeGreaterThanOrEqual(200);
});

test(`always 500: FAILED after ${MAX_ATTEMPTS} attempts with the last error`, async () => {
  const { conversation: c, psid } = await conversation(Platform.ZALO);
  fake.failNext('zalo', { status: 500, times: MAX_ATTEMPTS });
  const res = await t.gql<Sent>(SEND, { id: c.id, text: 'Không gửi được' });
  const message = await settled(res.data!.sendMessage.id);
  expect(message.status).toBe(MessageStatus.FAILED);
  expect(message.attempts).toBe(MAX_ATTEMPTS);
  expect(message.lastError).toContain('HTTP 500');
  expect(requestsTo(psid)).toHaveLength(MAX_ATTEMPTS);
});

test('429 with Retry-After: the next attempt waits for it', async () => {
  const { conversation: c, psid } = await conversation(Platform.FACEBOOK);
  fake.failNext('facebook', { status: 429, retryAfter: '1' });
  const res = await t.gql<Sent>(SEND, { id: c.id, text: 'Chờ chút' });
  const message = await settled(res.data!.sendMessage.id);
  expect(message.status).toBe(MessageStatus.SENT);
  const [first, second] = requestsTo(psid);
  expect(first?.status).toBe(429);
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
});

test("Messenger's 24-hour window: a refusal with a stable code, and nothing stored", async () => {
  const { conversation: c } = await conversation(Platform.FACEBOOK, {
    lastInboundAt: new Date(Date.now() - 25 * HOUR),
  });
  const res = await t.gql<Sent>(SEND, { id: c.id, text: 'Quá hạn rồi' });
  expect(res.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'MESSAGING_WINDOW_CLOSED',
  });
  expect(res.errors?.[0]?.message).toMatch(/24-hour reply window .* closed/);
  expect(await t.orm.em.fork().count(Message, { conversation: c.id })).toBe(0);
  // A marketplace has no such window.
  const lazada = await conversation(Platform.LAZADA, {
    lastInboundAt: new Date(Date.now() - 25 * HOUR),
  });
  const ok = await t.gql<Sent>(SEND, { id: lazada.conversation.id, text: 'Vẫn được' });
  expect(ok.errors).toBeUndefined();
});

test('empty text and no attachments is refused', async () => {
  const { conversation: c } = await conversation(Platform.FACEBOOK);
  const res = await t.gql<Sent>(SEND, { id: c.id, text: '   ' });
  expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(await t.orm.em.fork().count(Message, { conversation: c.id })).toBe(0);
});

test('customer service: answering an unassigned conversation takes it; another agent’s is not found', async () => {
  const agent = await make.user({ role: Role.CUSTOMER_SERVICE });
  const other = await make.user({ role: Role.CUSTOMER_SERVICE });
  const { conversation: open } = await conversation(Platform.FACEBOOK);
  const mine = await t.gql<Sent>(
    SEND,
    { id: open.id, text: 'Em chào chị' },
    { token: t.tokenFor(agent) },
  );
  expect(mine.errors).toBeUndefined();
  const taken = await t.orm.em.fork().findOneOrFail(Conversation, open.id);
  expect(taken.assignee?.id).toBe(agent.id);
  expect(taken.status).toBe(ConversationStatus.ASSIGNED);
  const refused = await t.gql<Sent>(
    SEND,
    { id: open.id, text: 'Của tôi?' },
    { token: t.tokenFor(other) },
  );
  expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

test("a bot's PENDING message queued through the OutboundDelivery is sent", async () => {
  const { conversation: c, channel, psid } = await conversation(Platform.ZALO);
  const em = t.orm.em.fork();
  const id = await em.transactional(async (tx) => {
    const message = tx.create(Message, {
      conversation: tx.getReference(Conversation, c.id),
      channel: tx.getReference(Channel, channel.id),
      direction: MessageDirection.OUTBOUND,
      sender: MessageSender.BOT,
      body: 'Dạ, shop sẽ phản hồi ngay ạ',
      status: MessageStatus.PENDING,
      sentAt: new Date(),
    });
    await tx.flush();
    await t.app.services.outbound.enqueue(tx, message.id);
    return message.id;
  });
  const message = await settled(id);
  expect(message.status).toBe(MessageStatus.SENT);
  expect(message.externalMessageId).toMatch(/^z_out_\d+$/);
  const [call] = requestsTo(psid);
  expect(call?.path).toBe('/v3.0/oa/message/cs');
  expect(call?.headers.access_token).toBeTruthy();
  expect(call?.body).toMatchObject({
    recipient: { user_id: psid },
    message: { text: 'Dạ, shop sẽ phản hồi ngay ạ' },
  });
});
