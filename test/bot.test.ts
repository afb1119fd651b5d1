import pino from 'pino';
import { loadConfig } from '../src/config';
import { BotStep, ConversationStatus, MessageStatus } from '../src/entities/enums';
import { TOPICS } from '../src/kernel/topics';
import {
  createConversationBot,
  HANDOFF_TEXT,
} from '../src/services/conversations/bot/conversation-bot';
import type {
  ConversationChangedEvent,
  MessageAddedEvent,
} from '../src/services/conversations/conversation-contracts';
import { botFixtures, recordingDelivery, recordTopic } from './support/bot-fixtures';
import { startFakeAi, type FakeAi } from './support/fake-ai';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';
import { Platform } from '../src/entities/enums';

/**
 * The bot's fallback chain against a fake AI endpoint: each step answers
 * when the one before it cannot, within the time budget. The breaker is
 * kept out of the way here (a high threshold); bot-breaker.test.ts tests it.
 */
let t: TestApp;
let ai: FakeAi;
const delivery = recordingDelivery();
let f: ReturnType<typeof botFixtures>;

beforeAll(async () => {
  ai = await startFakeAi();
  t = await startTestApp({
    platformEnv: { ...TEST_PLATFORM_ENV, ...ai.env, AI_BREAKER_FAILURES: '100' },
    delivery,
  });
  f = botFixtures(t.orm);
  await f.article(
    'Phí vận chuyển',
    'Phí ship nội thành 20.000đ, ngoại thành 30.000đ; đơn từ 300.000đ được miễn phí vận chuyển.',
    'phí ship, vận chuyển, shipping fee',
  );
  await f.article(
    'Đổi trả hàng',
    'Bạn được đổi trả trong 7 ngày kể từ khi nhận hàng.',
    'đổi trả, return',
  );
  // A telesales article is never the bot's answer, however well it matches.
  await f.article('Giờ mở cửa kho', 'Kho mở cửa 8h-17h.', 'giờ mở cửa', 'TELESALES' as never);
  await f.template('Giờ làm việc', ['gio lam viec', 'may gio'], 'Shop làm việc 8h-22h mỗi ngày ạ.');
  await f.template(
    'Giờ làm việc Shopee',
    ['gio lam viec'],
    'Shop trên Shopee trả lời chat 8h-22h ạ.',
    Platform.SHOPEE,
  );
}, 60_000);
afterAll(async () => {
  await t.close();
  await ai.close();
});
beforeEach(() => ai.behave({ answer: 'AI says hi', confidence: 0.9 }));

/** A fresh conversation on a channel of a branch with one agent, and a buyer message in it. */
async function ask(body: string) {
  const branch = await f.branch();
  const agent = await f.agent([branch]);
  const channel = await f.channel(branch);
  const conversation = await f.conversation(channel);
  const message = await f.inbound(conversation, body);
  const seenByAi = ai.requests.length;
  const started = performance.now();
  await t.app.services.bot.onCustomerMessage(conversation.id, message.id);
  const elapsedMs = performance.now() - started;
  const replies = await f.botMessages(conversation);
  return {
    agent,
    channel,
    conversation,
    message,
    elapsedMs,
    replies,
    reply: replies[0],
    aiCalls: ai.requests.length - seenByAi,
    after: await f.reload(conversation),
  };
}

test('a healthy, confident AI answers: a PENDING bot message with its step and latency, queued in the same transaction', async () => {
  const messages = recordTopic<MessageAddedEvent>(t.bus, TOPICS.messageAdded);
  const changes = recordTopic<ConversationChangedEvent>(t.bus, TOPICS.conversationChanged);
  ai.behave({ answer: 'Dạ shop còn hàng ạ', confidence: 0.92 });
  const r = await ask('Áo này còn size M không shop?');
  expect(r.aiCalls).toBe(1);
  const request = ai.requests.at(-1)!;
  expect(request.authorization).toBe('Bearer fake-ai-key');
  expect(request.body.model).toBe('fake-model');
  expect(request.body.messages?.at(-1)).toEqual({
    role: 'user',
    content: 'Áo này còn size M không shop?',
  });
  expect(r.replies).toHaveLength(1);
  expect(r.reply).toMatchObject({
    body: 'Dạ shop còn hàng ạ',
    botStep: BotStep.AI,
    status: MessageStatus.PENDING,
    direction: 'OUTBOUND',
    sender: 'BOT',
  });
  expect(r.reply!.botLatencyMs).toBeGreaterThanOrEqual(0);
  expect(r.reply!.botLatencyMs).toBeLessThan(2_000);
  expect(delivery.queued.map((q) => q.messageId)).toContain(r.reply!.id);
  expect(r.after.status).toBe(ConversationStatus.PENDING_BOT);
  expect(r.after.firstResponseAt).toBeInstanceOf(Date);
  expect(r.after.assignee ?? null).toBeNull();
  expect(messages.events).toContainEqual({
    conversationId: r.conversation.id,
    messageId: r.reply!.id,
  });
  expect(changes.events).toContainEqual({ conversationId: r.conversation.id, action: 'MESSAGE' });
  messages.stop();
  changes.stop();
});

test('AI timing out (default AI_TIMEOUT_MS and BOT_BUDGET_MS): the knowledge base answers within 5.5 s of the push, even without diacritics', async () => {
  expect(loadConfig(TEST_PLATFORM_ENV).bot).toMatchObject({ aiTimeoutMs: 5_000, budgetMs: 5_000 });
  ai.behave({ delayMs: 20_000 });
  const r = await ask('cho minh hoi phi ship bao nhieu vay shop');
  expect(r.aiCalls).toBe(1);
  expect(r.reply).toMatchObject({ botStep: BotStep.KNOWLEDGE_BASE });
  expect(r.reply!.body).toContain('Phí ship nội thành');
  const queuedAt = delivery.queued.find((q) => q.messageId === r.reply!.id)!.at;
  const fromPushMs = queuedAt - r.message.createdAt.getTime();
  process.stdout.write(
    `bot fallback on AI timeout: answer queued ${fromPushMs} ms after the push (botLatencyMs ${r.reply!.botLatencyMs})\n`,
  );
  expect(fromPushMs).toBeLessThan(5_500);
  expect(r.reply!.botLatencyMs).toBeLessThan(5_500);
  // The AI was given most of the budget before the fallback answered.
  expect(r.reply!.botLatencyMs).toBeGreaterThan(4_000);
  expect(r.elapsedMs).toBeLessThan(5_500);
}, 15_000);

test('AI failing (HTTP 500) and no article matching: the platform-specific template answers', async () => {
  ai.behave({ status: 500 });
  const r = await ask('Giờ làm việc của shop thế nào?');
  expect(r.aiCalls).toBe(1);
  expect(r.reply).toMatchObject({
    botStep: BotStep.TEMPLATE,
    body: 'Shop trên Shopee trả lời chat 8h-22h ạ.',
  });
  expect(r.after.status).toBe(ConversationStatus.PENDING_BOT);
});

test('a malformed AI reply, no article and no template: the bot hands off and the branch agent gets it', async () => {
  ai.behave({ malformed: true });
  const r = await ask('Tôi muốn xuất hóa đơn đỏ cho công ty');
  expect(r.aiCalls).toBe(1);
  expect(r.reply).toMatchObject({ botStep: BotStep.HANDOFF, body: HANDOFF_TEXT });
  expect(r.reply!.botLatencyMs).not.toBeNull();
  expect(r.after.status).toBe(ConversationStatus.ASSIGNED);
  expect(r.after.assignee?.id).toBe(r.agent.id);
  expect(r.after.handedOffAt).toBeInstanceOf(Date);
  expect(r.after.firstResponseAt ?? null).toBeNull();
});

test('a low-confidence AI answer counts as none: the knowledge base answers', async () => {
  ai.behave({ answer: 'Có lẽ là 7 ngày?', confidence: 0.3 });
  const r = await ask('Chính sách đổi trả hàng thế nào ạ?');
  expect(r.aiCalls).toBe(1);
  expect(r.reply).toMatchObject({ botStep: BotStep.KNOWLEDGE_BASE });
  expect(r.reply!.body).toContain('đổi trả trong 7 ngày');
});

test.each([
  'Cho mình GẶP NHÂN VIÊN với',
  'gap nhan vien',
  'I want to talk to agent please',
  'có người thật không?',
])('asking for a person (%s) hands off at once: the AI is not called', async (text) => {
  const r = await ask(text);
  expect(r.aiCalls).toBe(0);
  expect(r.reply).toMatchObject({ botStep: BotStep.HANDOFF });
  expect(r.after.assignee?.id).toBe(r.agent.id);
});

test("a negative reply to the bot's answer hands off without asking the AI; the same words with no bot answer before do not", async () => {
  const first = await ask('Áo này giặt máy được không?');
  expect(first.reply?.botStep).toBe(BotStep.AI);
  const rejection = await f.inbound(first.conversation, 'Không đúng, sai rồi');
  const seen = ai.requests.length;
  await t.app.services.bot.onCustomerMessage(first.conversation.id, rejection.id);
  expect(ai.requests.length).toBe(seen);
  const replies = await f.botMessages(first.conversation);
  expect(replies.map((m) => m.botStep)).toEqual([BotStep.AI, BotStep.HANDOFF]);
  expect((await f.reload(first.conversation)).assignee?.id).toBe(first.agent.id);

  const fresh = await ask('không phải');
  expect(fresh.aiCalls).toBe(1);
  expect(fresh.reply?.botStep).toBe(BotStep.AI);
});

test('a conversation a person holds, or one already handed off, is left alone', async () => {
  const branch = await f.branch();
  const agent = await f.agent([branch]);
  const channel = await f.channel(branch);
  const held = await f.conversation(channel, { assignee: agent });
  const heldMessage = await f.inbound(held, 'Shop ơi');
  await t.app.services.bot.onCustomerMessage(held.id, heldMessage.id);
  expect(await f.botMessages(held)).toHaveLength(0);

  const handedOff = await ask('gặp nhân viên');
  expect(handedOff.after.status).toBe(ConversationStatus.ASSIGNED);
  const later = await f.inbound(handedOff.conversation, 'alo');
  await t.app.services.bot.onCustomerMessage(handedOff.conversation.id, later.id);
  expect(await f.botMessages(handedOff.conversation)).toHaveLength(1);
});

test('without AI_BASE_URL the chain starts at the knowledge base, and the answer is queued for delivery in its transaction', async () => {
  const logger = pino({ level: 'silent' });
  const queued: string[] = [];
  const bot = createConversationBot({
    orm: t.orm,
    bus: t.bus,
    logger,
    delivery: { enqueue: async (_em, messageId) => void queued.push(messageId) },
    config: loadConfig(TEST_PLATFORM_ENV).bot,
  });
  expect(bot.aiStatus()).toMatchObject({ enabled: false, state: 'CLOSED' });
  const branch = await f.branch();
  const conversation = await f.conversation(await f.channel(branch));
  const message = await f.inbound(conversation, 'phí vận chuyển bao nhiêu');
  const seen = ai.requests.length;
  await bot.onCustomerMessage(conversation.id, message.id);
  expect(ai.requests.length).toBe(seen);
  const [reply] = await f.botMessages(conversation);
  expect(reply).toMatchObject({ botStep: BotStep.KNOWLEDGE_BASE, status: MessageStatus.PENDING });
  expect(queued).toEqual([reply!.id]);
});

test('aiStats counts the bot messages by step, latency percentiles and the handoff rate, as SQL over the rows says', async () => {
  const from = new Date(Date.now() - 3_600_000);
  const to = new Date(Date.now() + 60_000);
  const res = await t.gql<{
    aiStats: {
      answersByStep: { step: string; count: number }[];
      totalAnswers: number;
      medianLatencyMs: number;
      p95LatencyMs: number;
      botConversations: number;
      handoffs: number;
      handoffRate: number;
    };
  }>(
    `query($from: DateTimeISO!, $to: DateTimeISO!) { aiStats(from: $from, to: $to) {
       answersByStep { step count } totalAnswers medianLatencyMs p95LatencyMs botConversations handoffs handoffRate } }`,
    { from, to },
  );
  expect(res.errors).toBeUndefined();
  const stats = res.data!.aiStats;
  const rows = await t.orm.em
    .fork()
    .execute<{ bot_step: string; bot_latency_ms: number; conversation_id: string }[]>(
      `select bot_step, bot_latency_ms, conversation_id from message where sender = 'BOT'`,
    );
  // Every bot message carries its step and latency.
  expect(rows.every((row) => row.bot_step !== null && row.bot_latency_ms !== null)).toBe(true);
  const count = (step: string) => rows.filter((row) => row.bot_step === step).length;
  expect(stats.answersByStep).toEqual(
    ['AI', 'KNOWLEDGE_BASE', 'TEMPLATE', 'HANDOFF'].map((step) => ({ step, count: count(step) })),
  );
  expect(count('AI')).toBeGreaterThan(0);
  expect(count('KNOWLEDGE_BASE')).toBeGreaterThan(0);
  expect(count('TEMPLATE')).toBeGreaterThan(0);
  expect(count('HANDOFF')).toBeGreaterThan(0);
  expect(stats.totalAnswers).toBe(rows.length);
  const conversations = new Set(rows.map((row) => row.conversation_id));
  const handedOff = new Set(
    rows.filter((row) => row.bot_step === 'HANDOFF').map((row) => row.conversation_id),
  );
  expect(stats.botConversations).toBe(conversations.size);
  expect(stats.handoffs).toBe(handedOff.size);
  expect(stats.handoffRate).toBeCloseTo(handedOff.size / conversations.size, 10);
  const latencies = rows.map((row) => row.bot_latency_ms).sort((a, b) => a - b);
  const percentile = (p: number) => {
    const rank = p * (latencies.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return latencies[low]! + (latencies[high]! - latencies[low]!) * (rank - low);
  };
  expect(stats.medianLatencyMs).toBeCloseTo(percentile(0.5), 6);
  expect(stats.p95LatencyMs).toBeCloseTo(percentile(0.95), 6);

  // Narrowed to a channel with nothing in it, and a window before everything.
  const other = await f.channel();
  const none = await t.gql<{ aiStats: { totalAnswers: number; handoffRate: number | null } }>(
    `query($from: DateTimeISO!, $to: DateTimeISO!, $ids: [ID!]) { aiStats(from: $from, to: $to, channelIds: $ids) { totalAnswers handoffRate } }`,
    { from, to, ids: [other.id] },
  );
  expect(none.data!.aiStats).toEqual({ totalAnswers: 0, handoffRate: null });
  const backwards = await t.gql(
    `query($from: DateTimeISO!, $to: DateTimeISO!) { aiStats(from: $from, to: $to) { totalAnswers } }`,
    {
      from: to,
      to: from,
    },
  );
  expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});
