import { createHash } from 'node:crypto';
import { zalo } from '../../src/integrations/zalo';
import { chatPushes } from '../support/chat-pushes';
import { TEST_PLATFORM_ENV } from '../support/webhooks';
import { tamper } from './helpers';

const secrets = {
  appId: TEST_PLATFORM_ENV.ZALO_APP_ID,
  oaSecret: TEST_PLATFORM_ENV.ZALO_OA_SECRET,
};

test('mac=sha256(app_id + raw body + timestamp + OA secret) over the raw bytes', () => {
  const push = chatPushes.zalo(
    '1365000000000000000',
    '8800000000000000',
    'a1b2',
    'Cho mình hỏi giá',
    1718000000123,
  );
  expect(zalo.verify(push.body, push.headers, secrets)).toEqual({ ok: true });
  expect(zalo.verify(tamper(push.body, 'hỏi giá'), push.headers, secrets).ok).toBe(false);
  expect(zalo.verify(push.body, {}, secrets).ok).toBe(false);
  // An HMAC (the wrong algorithm) does not pass.
  const wrong = createHash('sha256').update(push.body).digest('hex');
  expect(zalo.verify(push.body, { 'x-zevent-signature': `mac=${wrong}` }, secrets).ok).toBe(false);
  expect(zalo.verify(push.body, push.headers, { ...secrets, appId: '1' })).toEqual({
    ok: false,
    reason: `app_id ${TEST_PLATFORM_ENV.ZALO_APP_ID} is not ZALO_APP_ID`,
  });
});

test('normalize: user messages in, OA echoes flagged, receipts and follows skipped; ids stay strings', () => {
  const base = {
    app_id: '4291000000000000000',
    timestamp: '1718000000123',
    sender: { id: '8800000000000000' },
    recipient: { id: '1365000000000000000' },
  };
  const [message] = zalo.normalize({
    ...base,
    event_name: 'user_send_image',
    message: {
      msg_id: 'a1',
      text: '',
      attachments: [{ type: 'image', payload: { url: 'https://z/1.jpg' } }],
    },
  });
  expect(message).toMatchObject({
    channelExternalId: '1365000000000000000',
    threadId: '8800000000000000',
    externalMessageId: 'a1',
    attachments: [{ type: 'image', url: 'https://z/1.jpg' }],
    sentAt: new Date(1718000000123),
    echo: false,
    eventKey: 'chat:zl:1365000000000000000:a1',
  });
  const [echo] = zalo.normalize({
    ...base,
    sender: { id: '1365000000000000000' },
    recipient: { id: '8800000000000000' },
    event_name: 'oa_send_text',
    message: { msg_id: 'a2', text: 'Dạ' },
  });
  expect(echo).toMatchObject({
    channelExternalId: '1365000000000000000',
    threadId: '8800000000000000',
    echo: true,
  });
  expect(
    zalo.normalize({ ...base, event_name: 'user_seen_message', message: { msg_ids: ['a1'] } }),
  ).toEqual([]);
  expect(zalo.normalize({ ...base, event_name: 'follow' })).toEqual([]);
});
