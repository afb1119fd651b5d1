import request from 'supertest';
import {
  Channel,
  Conversation,
  Customer,
  CustomerIdentity,
  CustomerLabel,
  CustomerLabelLink,
  InboundEvent,
  Message,
  User,
} from '../src/entities';
import { ConversationStatus, Platform, Role } from '../src/entities/enums';
import { chatPushes } from './support/chat-pushes';
import { factories } from './support/factories';
import { tamper } from './integrations/helpers';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV, type SignedPush, postPush } from './support/webhooks';
import { subscriber, waitFor, waitForSubscriptions } from './support/ws';

let t: TestApp;
let make: ReturnType<typeof factories>;
beforeAll(async () => {
  t = await startTestApp();
  make = factories(t.orm);
});
afterAll(() => t.close());

let sequence = 0;
const unique = (prefix: string) => `${prefix}${Date.now()}${(sequence += 1)}`;

const post = (push: SignedPush) => postPush(t.app.httpServer, push);

const messagesOf = (externalMessageId: string) =>
  t.orm.em.fork().find(Message, { externalMessageId }, { populate: ['conversation'] });

const conversationOf = async (channelId: string, thread: string) =>
  t.orm.em.fork().findOne(Conversation, { channel: channelId, externalThreadId: thread });

const MESSAGE_ADDED = `subscription ($id: ID!) { messageAdded(conversationId: $id) { id body direction status } }`;

describe('Messenger', () => {
  test('the verify handshake answers the bare challenge only for the right token', async () => {
    const ok = await request(t.app.httpServer).get('/webhooks/facebook').query({
      'hub.mode': 'subscribe',
      'hub.verify_token': TEST_PLATFORM_ENV.FACEBOOK_VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    const php = await request(t.app.httpServer).get('/webhooks/facebook').query({
      hub_mode: 'subscribe',
      hub_verify_token: TEST_PLATFORM_ENV.FACEBOOK_VERIFY_TOKEN,
      hub_challenge: '42',
    });
    expect(php.text).toBe('42');
    const wrong = await request(t.app.httpServer).get('/webhooks/facebook').query({
      'hub.mode': 'subscribe',
      'hub.verify_token': 'not-it',
      'hub.challenge': '1158201444',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.text).not.toContain('1158201444');
    const notSubscribe = await request(t.app.httpServer).get('/webhooks/facebook').query({
      'hub.mode': 'unsubscribe',
      'hub.verify_token': TEST_PLATFORM_ENV.FACEBOOK_VERIFY_TOKEN,
      'hub.challenge': '1',
    });
    expect(notSubscribe.status).toBe(403);
  });

  test('a wrong X-Hub-Signature-256 (one byte of Vietnamese text changed) is 401 and writes nothing', async () => {
    const page = unique('p');
    await make.channel({ platform: Platform.FACEBOOK, externalShopId: page });
    const mid = unique('m_');
    const push = chatPushes.messenger(
      page,
      unique('psid'),
      mid,
      'Shop ơi còn size M không? Giá bao nhiêu ạ',
    );
    const tampered = { ...push, body: tamper(push.body, 'Giá bao nhiêu') };
    const before = await t.orm.em.fork().count(InboundEvent, {});
    expect((await post(tampered)).status).toBe(401);
    const legacy = { ...push, headers: { 'x-hub-signature': 'sha1=00' } };
    expect((await post(legacy)).status).toBe(401);
    expect(await t.orm.em.fork().count(InboundEvent, {})).toBe(before);
    expect(await messagesOf(mid)).toHaveLength(0);
    // The untouched bytes pass.
    const ok = await post(push);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('EVENT_RECEIVED');
  });

  test('a push delivered 3 times (in sequence, then concurrently) yields one message, one conversation and one messageAdded event', async () => {
    const page = unique('p');
    const channel = await make.channel({ platform: Platform.FACEBOOK, externalShopId: page });
    const psid = unique('psid');
    const first = chatPushes.messenger(page, psid, unique('m_'), 'Chào shop, mình muốn đặt hàng');
    expect((await post(first)).status).toBe(200);
    let conversation: Conversation | null = null;
    for (let i = 0; i < 50 && !conversation; i += 1) {
      conversation = await conversationOf(channel.id, psid);
      if (!conversation) await new Promise((r) => setTimeout(r, 50));
    }
    expect(conversation).not.toBeNull();

    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.adminToken}` });
    const baseline = t.bus.activeSubscriptions;
    const sub = ws.subscribe(MESSAGE_ADDED, { id: conversation!.id });
    await waitForSubscriptions(t.bus, baseline, 1);

    const sequential = unique('m_');
    const push = chatPushes.messenger(page, psid, sequential, 'Áo này có màu đỏ không ạ?');
    for (let i = 0; i < 3; i += 1) expect((await post(push)).status).toBe(200);
    const concurrent = unique('m_');
    const again = chatPushes.messenger(page, psid, concurrent, 'Ship về Đà Nẵng mất mấy ngày?');
    const answers = await Promise.all([post(again), post(again), post(again)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);

    // The bot may answer the first message meanwhile; the buyer's messages are under test.
    const inbound = () =>
      sub.events
        .map((e) => e.data?.messageAdded as { body: string; direction: string })
        .filter((message) => message.direction === 'INBOUND')
        .map((message) => message.body);
    await waitFor(() => inbound().length >= 2);
    await new Promise((r) => setTimeout(r, 300)); // a duplicate event would arrive by now
    expect(inbound()).toEqual(['Áo này có màu đỏ không ạ?', 'Ship về Đà Nẵng mất mấy ngày?']);
    expect(await messagesOf(sequential)).toHaveLength(1);
    expect(await messagesOf(concurrent)).toHaveLength(1);
    const em = t.orm.em.fork();
    expect(await em.count(Conversation, { channel: channel.id })).toBe(1);
    const after = await em.findOneOrFail(Conversation, conversation!.id);
    expect(after.unreadCount).toBe(3);
    expect(after.externalUserId).toBe(psid);
    expect(after.lastInboundAt).toBeTruthy();
    sub.dispose();
    await ws.client.dispose();
  });

  test('the buyer is linked by platform user id: a second message finds the same customer; read resets unread; a resolved conversation reopens', async () => {
    const page = unique('p');
    const channel = await make.channel({ platform: Platform.FACEBOOK, externalShopId: page });
    const psid = unique('psid');
    await post(chatPushes.messenger(page, psid, unique('m_'), 'Xin chào'));
    const waitForUnread = async (n: number) => {
      for (let i = 0; i < 60; i += 1) {
        const c = await conversationOf(channel.id, psid);
        if (c && c.unreadCount === n) return c;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`unread never reached ${n}`);
    };
    const one = await waitForUnread(1);
    expect(one.customer).toBeTruthy();
    const identity = await t.orm.em
      .fork()
      .findOneOrFail(CustomerIdentity, { kind: Platform.FACEBOOK, value: psid });
    expect(identity.customer.id).toBe(one.customer!.id);

    const read = await t.gql<{ markConversationRead: { unreadCount: number } }>(
      `mutation ($id: ID!) { markConversationRead(id: $id) { unreadCount } }`,
      { id: one.id },
    );
    expect(read.data?.markConversationRead.unreadCount).toBe(0);
    const resolved = await t.gql<{ resolveConversation: { status: string; resolvedAt: string } }>(
      `mutation ($id: ID!) { resolveConversation(id: $id) { status resolvedAt } }`,
      { id: one.id },
    );
    expect(resolved.data?.resolveConversation.status).toBe('RESOLVED');
    expect(resolved.data?.resolveConversation.resolvedAt).toBeTruthy();

    await post(chatPushes.messenger(page, psid, unique('m_'), 'Mình hỏi thêm chút'));
    const two = await waitForUnread(1);
    expect(two.customer!.id).toBe(one.customer!.id);
    expect(two.status).toBe(ConversationStatus.OPEN);
    expect(two.resolvedAt ?? null).toBeNull();
  });

  test('an unset FACEBOOK_APP_SECRET makes the receiver answer 503 naming it', async () => {
    const bare = await startTestApp({ platformEnv: {}, database: t.database });
    try {
      const push = chatPushes.messenger('1', '2', unique('m_'), 'x');
      const answer = await request(bare.app.httpServer)
        .post('/webhooks/facebook')
        .set(push.headers)
        .send(push.body.toString('utf8'));
      expect(answer.status).toBe(503);
      expect(answer.body.error).toContain('FACEBOOK_APP_SECRET');
      const zalo = await request(bare.app.httpServer).post('/webhooks/zalo').send('{}');
      expect(zalo.status).toBe(503);
      expect(zalo.body.error).toContain('ZALO_OA_SECRET');
    } finally {
      await bare.close();
    }
  });
});

describe('Zalo OA', () => {
  test('a push delivered 3 times yields one message; a changed byte is 401 and writes nothing', async () => {
    const oa = unique('oa');
    const channel = await make.channel({ platform: Platform.ZALO, externalShopId: oa });
    const user = unique('u');
    const msgId = unique('zm');
    const push = chatPushes.zalo(oa, user, msgId, 'Cho mình hỏi giá sản phẩm này với ạ');
    const tampered = { ...push, body: tamper(push.body, 'giá sản phẩm') };
    expect((await post(tampered)).status).toBe(401);
    expect(await t.orm.em.fork().count(InboundEvent, { eventKey: { $like: `%${msgId}` } })).toBe(0);
    const answers = await Promise.all([post(push), post(push), post(push)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (let i = 0; i < 60 && (await messagesOf(msgId)).length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const stored = await messagesOf(msgId);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).toBe('Cho mình hỏi giá sản phẩm này với ạ');
    const conversation = await conversationOf(channel.id, user);
    expect(conversation?.unreadCount).toBe(1);
  });
});

describe('marketplace chat', () => {
  const waitForMessage = async (id: string) => {
    for (let i = 0; i < 60; i += 1) {
      const rows = await messagesOf(id);
      if (rows.length > 0) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
    return [];
  };

  test('a Lazada IM push creates a conversation per session', async () => {
    const seller = String(100000 + (sequence += 1));
    const channel = await make.channel({ platform: Platform.LAZADA, externalShopId: seller });
    const session = unique('s');
    const id = unique('lzm');
    const answer = await post(
      chatPushes.lazadaIm(seller, session, unique('b'), id, 'Đơn của mình giao chưa?'),
    );
    expect(answer.status).toBe(200);
    const rows = await waitForMessage(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body).toBe('Đơn của mình giao chưa?');
    expect((await conversationOf(channel.id, session))?.id).toBe(rows[0]!.conversation.id);
  });

  test('a TikTok Shop type 14 push creates a conversation', async () => {
    const shop = unique('tts');
    const channel = await make.channel({ platform: Platform.TIKTOK, externalShopId: shop });
    const conversationId = unique('c');
    const id = unique('ttm');
    const answer = await post(
      chatPushes.tiktokMessage(shop, conversationId, unique('im'), id, 'Còn hàng không shop?'),
    );
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const rows = await waitForMessage(id);
    expect(rows).toHaveLength(1);
    expect((await conversationOf(channel.id, conversationId))?.unreadCount).toBe(1);
  });
});

describe('subscription scope', () => {
  test("a customer-service agent gets the unassigned queue and their own conversations, not another agent's", async () => {
    const page = unique('p');
    const channel = await make.channel({ platform: Platform.FACEBOOK, externalShopId: page });
    const agent = await make.user({ role: Role.CUSTOMER_SERVICE });
    const other = await make.user({ role: Role.CUSTOMER_SERVICE });
    const theirs = t.orm.em.fork();
    const taken = theirs.create(Conversation, {
      channel,
      externalThreadId: unique('psid'),
      externalUserId: 'x',
      assignee: other,
      status: ConversationStatus.ASSIGNED,
    });
    await theirs.flush();

    const ws = subscriber(t.wsUrl, { authorization: `Bearer ${t.tokenFor(agent)}` });
    const baseline = t.bus.activeSubscriptions;
    const sub = ws.subscribe(
      `subscription { conversationChanged { action conversation { id externalThreadId } } }`,
    );
    await waitForSubscriptions(t.bus, baseline, 1);
    await post(
      chatPushes.messenger(page, taken.externalThreadId, unique('m_'), 'Tin cho người khác'),
    );
    const queued = unique('psid');
    await post(chatPushes.messenger(page, queued, unique('m_'), 'Tin mới trong hàng đợi'));
    await waitFor(() => sub.events.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    const threads = sub.events.map(
      (e) =>
        (e.data?.conversationChanged as { conversation: { externalThreadId: string } }).conversation
          .externalThreadId,
    );
    // The queued conversation may change more than once (the bot answers it);
    // the other agent's conversation never shows up.
    expect(new Set(threads)).toEqual(new Set([queued]));

    // messageAdded on another agent's conversation is refused as not found.
    const refused = ws.subscribe(MESSAGE_ADDED, { id: taken.id });
    await waitFor(() => refused.error !== undefined || refused.events.length > 0);
    expect(JSON.stringify(refused.error ?? refused.events)).toContain('NOT_FOUND');
    sub.dispose();
    await ws.client.dispose();
  });
});

describe('ops view', () => {
  test('conversations(filter) by channel, status, assignee, unassigned, unread, label and last-message time', async () => {
    const channel = await make.channel({ platform: Platform.ZALO, externalShopId: unique('oa') });
    const agent = await make.user({ role: Role.CUSTOMER_SERVICE });
    const em = t.orm.em.fork();
    const label = em.create(CustomerLabel, { code: unique('VIP'), name: 'Khách VIP' });
    const vip = await make.customer();
    await em.flush();
    em.create(CustomerLabelLink, {
      customer: em.getReference(Customer, vip.id),
      customerLabel: label,
    });
    const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000);
    const make1 = (thread: string, fields: Partial<Conversation>) =>
      em.create(Conversation, {
        channel: em.getReference(Channel, channel.id),
        externalThreadId: unique(thread),
        ...fields,
      });
    const unreadNew = make1('a', { unreadCount: 2, lastMessageAt: at(1) });
    const assigned = make1('b', {
      assignee: em.getReference(User, agent.id, { wrapped: true }),
      status: ConversationStatus.ASSIGNED,
      lastMessageAt: at(30),
      customer: em.getReference(Customer, vip.id, { wrapped: true }),
    });
    const resolved = make1('c', { status: ConversationStatus.RESOLVED, lastMessageAt: at(50) });
    await em.flush();
    const ids = async (filter: Record<string, unknown>) => {
      const res = await t.gql<{ conversations: { edges: { node: { id: string } }[] } }>(
        `query ($f: ConversationFilter) { conversations(filter: $f, first: 50) { edges { node { id } } } }`,
        { f: { channelIds: [channel.id], ...filter } },
      );
      expect(res.errors).toBeUndefined();
      return res.data!.conversations.edges.map((e) => e.node.id).sort();
    };
    expect(await ids({})).toEqual([unreadNew.id, assigned.id, resolved.id].sort());
    expect(await ids({ hasUnread: true })).toEqual([unreadNew.id]);
    expect(await ids({ assigneeIds: [agent.id] })).toEqual([assigned.id]);
    expect(await ids({ unassigned: true, statuses: ['OPEN'] })).toEqual([unreadNew.id]);
    expect(await ids({ assigneeIds: [agent.id], unassigned: true })).toEqual(
      [unreadNew.id, assigned.id, resolved.id].sort(),
    );
    expect(await ids({ customerLabelIds: [label.id] })).toEqual([assigned.id]);
    expect(
      await ids({ lastMessageFrom: at(40).toISOString(), lastMessageTo: at(10).toISOString() }),
    ).toEqual([assigned.id]);
    // Keyset pagination still holds with a filter.
    const page = await t.gql<{
      conversations: { pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(
      `query ($f: ConversationFilter) { conversations(filter: $f, first: 2) { pageInfo { hasNextPage endCursor } } }`,
      { f: { channelIds: [channel.id] } },
    );
    expect(page.data?.conversations.pageInfo.hasNextPage).toBe(true);
  });
});
