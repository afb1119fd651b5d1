import { BotStep } from '../src/entities/enums';
import { BreakerState, CircuitBreaker } from '../src/services/conversations/bot/circuit-breaker';
import { botFixtures, recordingDelivery } from './support/bot-fixtures';
import { startFakeAi, type FakeAi } from './support/fake-ai';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';

describe('CircuitBreaker', () => {
  test('opens after N failures in a row, half-opens after the cool-down for one trial, and a trial decides', () => {
    let now = 1_000_000;
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000, now: () => now });
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure('HTTP: 500', 10);
    breaker.onSuccess(12); // a success in between resets the count
    for (let i = 0; i < 2; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.onFailure('TIMEOUT', 5_000);
    }
    expect(breaker.snapshot().state).toBe(BreakerState.CLOSED);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure('MALFORMED', 20);
    expect(breaker.snapshot()).toEqual({
      state: BreakerState.OPEN,
      consecutiveFailures: 3,
      openedAt: new Date(1_000_000),
      retryAt: new Date(1_030_000),
      lastError: 'MALFORMED',
      lastLatencyMs: 20,
    });
    expect(breaker.tryAcquire()).toBe(false);
    now += 29_999;
    expect(breaker.tryAcquire()).toBe(false);
    now += 1;
    expect(breaker.snapshot().state).toBe(BreakerState.HALF_OPEN);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // one trial at a time
    breaker.onFailure('HTTP: 503', 15); // the trial failed: open for another cool-down
    expect(breaker.snapshot()).toMatchObject({
      state: BreakerState.OPEN,
      retryAt: new Date(now + 30_000),
    });
    now += 30_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onSuccess(40);
    expect(breaker.snapshot()).toMatchObject({
      state: BreakerState.CLOSED,
      consecutiveFailures: 0,
      openedAt: null,
      retryAt: null,
      lastLatencyMs: 40,
    });
  });
});

describe('the bot behind the breaker, with aiStatus', () => {
  let t: TestApp;
  let ai: FakeAi;
  let clock = Date.now();
  let f: ReturnType<typeof botFixtures>;

  beforeAll(async () => {
    ai = await startFakeAi();
    t = await startTestApp({
      platformEnv: { ...TEST_PLATFORM_ENV, ...ai.env },
      delivery: recordingDelivery(),
      botClock: () => clock,
    });
    f = botFixtures(t.orm);
    await f.article(
      'Đổi trả hàng',
      'Bạn được đổi trả trong 7 ngày kể từ khi nhận hàng.',
      'đổi trả',
    );
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await ai.close();
  });

  const aiStatus = async () => {
    const res = await t.gql<{ aiStatus: Record<string, unknown> }>(
      '{ aiStatus { enabled state consecutiveFailures openedAt retryAt lastError lastLatencyMs } }',
    );
    expect(res.errors).toBeUndefined();
    return res.data!.aiStatus;
  };

  const ask = async (body = 'chính sách đổi trả thế nào') => {
    const conversation = await f.conversation(await f.channel());
    const message = await f.inbound(conversation, body);
    const seen = ai.requests.length;
    await t.app.services.bot.onCustomerMessage(conversation.id, message.id);
    const [reply] = await f.botMessages(conversation);
    return { step: reply?.botStep, aiCalls: ai.requests.length - seen };
  };

  test('three failures open it; while open the provider sees no call and the knowledge base answers; after the cool-down one trial closes it', async () => {
    expect(await aiStatus()).toMatchObject({
      enabled: true,
      state: 'CLOSED',
      consecutiveFailures: 0,
    });
    ai.behave({ status: 500 });
    for (let i = 0; i < 3; i += 1)
      expect(await ask()).toEqual({ step: BotStep.KNOWLEDGE_BASE, aiCalls: 1 });
    const open = await aiStatus();
    expect(open).toMatchObject({
      enabled: true,
      state: 'OPEN',
      consecutiveFailures: 3,
      openedAt: new Date(clock).toISOString(),
      retryAt: new Date(clock + 30_000).toISOString(),
      lastError: 'HTTP: HTTP 500',
    });
    expect(typeof open.lastLatencyMs).toBe('number');

    ai.behave({ answer: 'Đổi trả trong 7 ngày ạ', confidence: 0.95 });
    expect(await ask()).toEqual({ step: BotStep.KNOWLEDGE_BASE, aiCalls: 0 });
    clock += 29_000;
    expect(await ask()).toEqual({ step: BotStep.KNOWLEDGE_BASE, aiCalls: 0 });

    clock += 1_000;
    expect(await aiStatus()).toMatchObject({ state: 'HALF_OPEN', consecutiveFailures: 3 });
    expect(await ask()).toEqual({ step: BotStep.AI, aiCalls: 1 });
    expect(await aiStatus()).toMatchObject({
      state: 'CLOSED',
      consecutiveFailures: 0,
      openedAt: null,
      retryAt: null,
    });
    expect(await ask()).toEqual({ step: BotStep.AI, aiCalls: 1 });
  });

  test('a failed half-open trial opens it again for another cool-down', async () => {
    ai.behave({ malformed: true });
    for (let i = 0; i < 3; i += 1) await ask();
    expect(await aiStatus()).toMatchObject({ state: 'OPEN' });
    clock += 30_000;
    expect(await ask()).toEqual({ step: BotStep.KNOWLEDGE_BASE, aiCalls: 1 });
    expect(await aiStatus()).toMatchObject({
      state: 'OPEN',
      consecutiveFailures: 4,
      lastError: 'MALFORMED: the message content is not JSON',
      retryAt: new Date(clock + 30_000).toISOString(),
    });
    expect(await ask()).toEqual({ step: BotStep.KNOWLEDGE_BASE, aiCalls: 0 });
  });
});
