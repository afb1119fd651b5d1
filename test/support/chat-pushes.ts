/**
 * Signed chat pushes as each platform sends them (platforms.md 1.4, 3.4, 6,
 * 7), signed here with node:crypto independently of src/. Bodies are written
 * as text, with Vietnamese diacritics, so signatures cover the exact bytes.
 */
import { createHash } from 'node:crypto';
import { hmacSha256Hex as hmac } from '../integrations/helpers';
import { TEST_PLATFORM_ENV, type SignedPush } from './webhooks';

const e = TEST_PLATFORM_ENV;

export const chatPushes = {
  messenger(page: string, psid: string, mid: string, text: string, time = Date.now()): SignedPush {
    const body = Buffer.from(
      `{"object":"page","entry":[{"id":"${page}","time":${time},"messaging":[{"sender":{"id":"${psid}"},` +
        `"recipient":{"id":"${page}"},"timestamp":${time},"message":{"mid":"${mid}","text":"${text}"}}]}]}`,
    );
    return {
      platform: 'facebook',
      body,
      headers: { 'x-hub-signature-256': `sha256=${hmac(e.FACEBOOK_APP_SECRET, body)}` },
    };
  },
  zalo(oa: string, user: string, msgId: string, text: string, time = Date.now()): SignedPush {
    const body = Buffer.from(
      `{"app_id":"${e.ZALO_APP_ID}","user_id_by_app":"555${user}","event_name":"user_send_text",` +
        `"timestamp":"${time}","sender":{"id":"${user}"},"recipient":{"id":"${oa}"},` +
        `"message":{"msg_id":"${msgId}","text":"${text}"}}`,
    );
    const mac = createHash('sha256')
      .update(e.ZALO_APP_ID)
      .update(body)
      .update(String(time))
      .update(e.ZALO_OA_SECRET)
      .digest('hex');
    return { platform: 'zalo', body, headers: { 'x-zevent-signature': `mac=${mac}` } };
  },
  lazadaIm(
    seller: string,
    session: string,
    buyer: string,
    messageId: string,
    text: string,
  ): SignedPush {
    const time = Date.now();
    const content = JSON.stringify(JSON.stringify({ txt: text }));
    const body = Buffer.from(
      `{"seller_id":${seller},"message_type":2,"timestamp":${time},"site":"lazada_vn","data":{` +
        `"message_id":"${messageId}","session_id":"${session}","from_account_id":"${buyer}",` +
        `"from_account_type":1,"to_account_id":"${seller}","to_account_type":2,"content":${content},` +
        `"template_id":1,"type":1,"send_time":${time},"status":0,"auto_reply":false,"site_id":"vn"}}`,
    );
    return {
      platform: 'lazada',
      body,
      headers: { authorization: hmac(e.LAZADA_APP_SECRET, e.LAZADA_APP_KEY, body) },
    };
  },
  tiktokMessage(
    shop: string,
    conversation: string,
    buyer: string,
    messageId: string,
    text: string,
  ): SignedPush {
    const time = Math.floor(Date.now() / 1000);
    const content = JSON.stringify(JSON.stringify({ content: text }));
    const body = Buffer.from(
      `{"type":14,"tts_notification_id":"n-${messageId}","shop_id":"${shop}","timestamp":${time},"data":{` +
        `"message_id":"${messageId}","index":"1","conversation_id":"${conversation}","type":"TEXT",` +
        `"content":${content},"create_time":${time},"is_visible":true,` +
        `"sender":{"im_user_id":"${buyer}","role":"BUYER"}}}`,
    );
    return {
      platform: 'tiktok',
      body,
      headers: { authorization: hmac(e.TIKTOK_APP_SECRET, e.TIKTOK_APP_KEY, body) },
    };
  },
};
