import { facebook, facebookHandshake } from '../../src/integrations/facebook';
import { chatPushes } from '../support/chat-pushes';
import { TEST_PLATFORM_ENV } from '../support/webhooks';
import { hmacSha256Hex, reserialize, tamper } from './helpers';

const secrets = { appSecret: TEST_PLATFORM_ENV.FACEBOOK_APP_SECRET };

describe('verify', () => {
  const push = chatPushes.messenger(
    '1122334455',
    '6677889900',
    'm_AbCdEf123',
    'Shop ơi còn size M không?',
  );

  test('the signature over the raw Vietnamese bytes passes', () => {
    expect(facebook.verify(push.body, push.headers, secrets)).toEqual({ ok: true });
  });

  test('one changed byte, a re-serialized body, sha1 or a missing header fail', () => {
    expect(facebook.verify(tamper(push.body, 'size M'), push.headers, secrets).ok).toBe(false);
    // Meta signs escaped unicode (\u01a1); decoding and re-encoding changes the bytes.
    const escaped = Buffer.from(push.body.toString('utf8').replace('ơ', '\\u01a1'));
    const signed = { 'x-hub-signature-256': `sha256=${hmacSha256Hex(secrets.appSecret, escaped)}` };
    expect(facebook.verify(escaped, signed, secrets).ok).toBe(true);
    expect(facebook.verify(reserialize(escaped), signed, secrets).ok).toBe(false);
    expect(facebook.verify(push.body, { 'x-hub-signature': 'sha1=abc' }, secrets)).toEqual({
      ok: false,
      reason: 'missing X-Hub-Signature-256 header',
    });
    expect(facebook.verify(push.body, { 'X-Hub-Signature-256': 'sha256=zz' }, secrets).ok).toBe(
      false,
    );
  });
});

test('the handshake echoes the challenge for subscribe + the right token only', () => {
  const q = { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok', 'hub.challenge': '77' };
  expect(facebookHandshake(q, 'tok')).toBe('77');
  expect(
    facebookHandshake(
      { hub_mode: 'subscribe', hub_verify_token: 'tok', hub_challenge: '8' },
      'tok',
    ),
  ).toBe('8');
  expect(facebookHandshake(q, 'other')).toBeNull();
  expect(facebookHandshake({ ...q, 'hub.mode': 'unsubscribe' }, 'tok')).toBeNull();
});

test('normalize reads every entry and item, flags echoes and skips receipts', () => {
  const messages = facebook.normalize({
    object: 'page',
    entry: [
      {
        id: 'P1',
        time: 1718000000456,
        messaging: [
          {
            sender: { id: 'U1' },
            recipient: { id: 'P1' },
            timestamp: 1718000000123,
            message: {
              mid: 'm1',
              text: 'Xin chào',
              attachments: [
                { type: 'image', payload: { url: 'https://x/img.jpg' } },
                { type: 'fallback' },
              ],
            },
          },
          {
            sender: { id: 'U1' },
            recipient: { id: 'P1' },
            timestamp: 1,
            delivery: { mids: ['m0'], watermark: 1 },
          },
          { sender: { id: 'U1' }, recipient: { id: 'P1' }, timestamp: 2, read: { watermark: 2 } },
        ],
      },
      {
        id: 'P1',
        time: 1718000000999,
        messaging: [
          {
            sender: { id: 'P1' },
            recipient: { id: 'U2' },
            timestamp: 1718000000999,
            message: { mid: 'm2', text: 'Dạ', is_echo: true, app_id: 1 },
          },
        ],
      },
    ],
  });
  expect(messages).toEqual([
    expect.objectContaining({
      channelExternalId: 'P1',
      threadId: 'U1',
      senderUserId: 'U1',
      externalMessageId: 'm1',
      text: 'Xin chào',
      attachments: [{ type: 'image', url: 'https://x/img.jpg' }, { type: 'fallback' }],
      sentAt: new Date(1718000000123),
      echo: false,
      eventKey: 'chat:fb:P1:m1',
    }),
    expect.objectContaining({ threadId: 'U2', externalMessageId: 'm2', echo: true }),
  ]);
  expect(facebook.normalize({ object: 'instagram', entry: [] })).toEqual([]);
});
