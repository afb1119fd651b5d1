import { ref } from '@mikro-orm/core';
import request from 'supertest';
import { Message } from '../src/entities';
import { BotStep, MessageSender, MessageStatus, Platform } from '../src/entities/enums';
import { botFixtures } from './support/bot-fixtures';
import { chatPushes } from './support/chat-pushes';
import { factories } from './support/factories';
import { startFakeAi, type FakeAi } from './support/fake-ai';
import { startFakeSendApi, type FakeSendApi } from './support/fake-send-api';
import { startTestApp, type TestApp } from './support/test-app';
import { TEST_PLATFORM_ENV } from './support/webhooks';

/**
 * The end-to-end promise, measured from the buyer's side: a signed
 * Messenger push arrives while the AI provider hangs, and the knowledge
 * base's answer reaches Messenger's Send API within 5.5 s of the push. Real
 * HTTP in, real pg-boss worker out, a fake AI and a fake Send API.
 */
let ai: FakeAi;
let send: FakeSendApi;
let t: TestApp;
beforeAll(async () => {
  ai = await startFakeAi();
  send = await startFakeSendApi();
  t = await startTestApp({
    jobs: true,
    platformEnv: { ...TEST_PLATFORM_ENV, ...ai.env, ...send.env },
  });
});
afterAll(async () => {
  await t.close();
  await send.close();
  await ai.close();
});

test('with the AI timing out, a buyer on Messenger gets the knowledge-base answer within 5.5 s of the push', async () => {
  const page = `page${Date.now()}`;
  const psid = `psid${Date.now()}`;
  const bot = botFixtures(t.orm);
  const branch = await bot.branch();
  await factories(t.orm).channel({
    platform: Platform.FACEBOOK,
    externalShopId: page,
    accessToken: 'page-token',
    branch: ref(branch),
  });
  await bot.article(
    'Phí vận chuyển',
    'Phí ship nội thành 20.000đ, ngoại thành 30.000đ ạ.',
    'phí ship, phí vận chuyển, ship bao nhiêu',
  );
  ai.behave({ delayMs: 20_000 });

  const push = chatPushes.messenger(
    page,
    psid,
    `m_${Date.now()}`,
    'Shop ơi phí ship bao nhiêu vậy?',
  );
  const pushedAt = Date.now();
  const answer = await request(t.app.httpServer)
    .post('/webhooks/facebook')
    .set('content-type', 'application/json')
    .set(push.headers)
    .send(push.body.toString('utf8'));
  expect(answer.status).toBe(200);
  const ackMs = Date.now() - pushedAt;

  const delivered = () =>
    send.requests.find(
      (r) =>
        r.platform === 'facebook' &&
        r.status === 200 &&
        JSON.stringify(r.body).includes(psid) &&
        JSON.stringify(r.body).includes('Phí ship nội thành'),
    );
  while (!delivered() && Date.now() - pushedAt < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const sent = delivered();
  expect(sent).toBeDefined();
  const deliveredMs = sent!.at - pushedAt;

  const [reply] = await t.orm.em.fork().find(Message, {
    sender: MessageSender.BOT,
    body: { $like: 'Phí ship nội thành%' },
    conversation: { externalThreadId: psid },
  });
  expect(reply).toMatchObject({ botStep: BotStep.KNOWLEDGE_BASE });
  // The status flips to SENT just after the Send API answered.
  for (
    let i = 0;
    i < 40 &&
    (await t.orm.em.fork().findOneOrFail(Message, reply!.id)).status !== MessageStatus.SENT;
    i += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect((await t.orm.em.fork().findOneOrFail(Message, reply!.id)).status).toBe(MessageStatus.SENT);
  process.stdout.write(
    `Messenger push -> ack ${ackMs} ms; bot answered (step ${reply!.botStep}) in ${reply!.botLatencyMs} ms; answer at Messenger's Send API ${deliveredMs} ms after the push\n`,
  );
  expect(ai.requests.length).toBeGreaterThanOrEqual(1);
  expect(deliveredMs).toBeLessThan(5_500);
}, 20_000);
