/**
 * A fake of the chat send APIs (Messenger Send API, Zalo OA consultation
 * messages) on one local HTTP server, for the outbound delivery tests.
 *
 *   const fake = await startFakeSendApi();            // 127.0.0.1, a free port
 *   const app = await startTestApp({ jobs: true, platformEnv: { ...TEST_PLATFORM_ENV, ...fake.env } });
 *   fake.failNext('facebook', { status: 500, times: 2 });          // then it accepts again
 *   fake.failNext('facebook', { status: 429, retryAfter: '1' });   // rate-limited once
 *   fake.failNext('zalo', { status: 500, times: Infinity });       // always failing
 *   fake.failNext('zalo', { tokenExpired: true });                 // the platform's "token invalid/expired"
 *   fake.requests                                                  // every request, in order, with its time
 *   await fake.close();
 *
 * Accepted sends answer as the platform does: Messenger
 * `{ recipient_id, message_id: "m_out_<n>" }`, Zalo
 * `{ error: 0, message: "Success", data: { message_id: "z_out_<n>", user_id } }`.
 * A request without its token (`access_token` query for Messenger, header
 * for Zalo), or with one `tokens` refuses, is answered as the platforms
 * answer an invalid token: Messenger HTTP 400 with OAuthException code 190,
 * Zalo error -216.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeSendPlatform = 'facebook' | 'zalo';

export type SendFailure = {
  status?: number;
  retryAfter?: string;
  times?: number;
  /** Answer as the platform answers an invalid or expired token. */
  tokenExpired?: boolean;
};

export type FakeSendRequest = {
  platform: FakeSendPlatform;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  at: number;
  /** The HTTP status it was answered with. */
  status: number;
};

export type FakeSendApi = {
  url: string;
  env: { FACEBOOK_API_BASE_URL: string; ZALO_API_BASE_URL: string };
  requests: FakeSendRequest[];
  failNext: (platform: FakeSendPlatform, failure: SendFailure) => void;
  close: () => Promise<void>;
};

const TOKEN_ANSWERS: Record<FakeSendPlatform, { status: number; body: unknown }> = {
  facebook: {
    status: 400,
    body: {
      error: {
        message: 'Error validating access token: The session has been invalidated.',
        type: 'OAuthException',
        code: 190,
        error_subcode: 460,
      },
    },
  },
  zalo: { status: 200, body: { error: -216, message: 'Access token is invalid' } },
};

export async function startFakeSendApi(
  options: {
    /** Which tokens the platforms accept (default: any non-empty one). */
    tokens?: (platform: FakeSendPlatform, pageOrOaToken: string) => boolean;
  } = {},
): Promise<FakeSendApi> {
  const requests: FakeSendRequest[] = [];
  const failures: Record<FakeSendPlatform, (SendFailure & { left: number })[]> = {
    facebook: [],
    zalo: [],
  };
  let sent = 0;

  const answer = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const [, prefix, ...rest] = url.pathname.split('/');
    const platform = prefix as FakeSendPlatform;
    const path = `/${rest.join('/')}`;
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // recorded as {}
    }
    const record = (status: number) =>
      requests.push({
        platform,
        path,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        at: Date.now(),
        status,
      });
    const known =
      (platform === 'facebook' && path === '/me/messages') ||
      (platform === 'zalo' && path === '/v3.0/oa/message/cs');
    if (req.method !== 'POST' || !known) {
      record(404);
      answer(res, 404, { error: 'no such endpoint' });
      return;
    }
    const failure = failures[platform][0];
    if (failure) {
      failure.left -= 1;
      if (failure.left <= 0) failures[platform].shift();
      if (failure.tokenExpired) {
        record(TOKEN_ANSWERS[platform].status);
        answer(res, TOKEN_ANSWERS[platform].status, TOKEN_ANSWERS[platform].body);
        return;
      }
      const status = failure.status ?? 500;
      record(status);
      answer(
        res,
        status,
        { error: { message: `fake failure ${status}` } },
        failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
      );
      return;
    }
    const recipient = (body.recipient ?? {}) as Record<string, unknown>;
    const given =
      platform === 'facebook'
        ? url.searchParams.get('access_token')
        : (req.headers.access_token as string | undefined);
    if (given && options.tokens && !options.tokens(platform, given)) {
      record(TOKEN_ANSWERS[platform].status);
      answer(res, TOKEN_ANSWERS[platform].status, TOKEN_ANSWERS[platform].body);
      return;
    }
    sent += 1;
    if (platform === 'facebook') {
      if (!url.searchParams.get('access_token')) {
        record(400);
        answer(res, 400, { error: { message: 'An access token is required', code: 104 } });
        return;
      }
      record(200);
      answer(res, 200, { recipient_id: recipient.id, message_id: `m_out_${sent}` });
      return;
    }
    if (!req.headers.access_token) {
      record(200);
      answer(res, 200, { error: -216, message: 'Access token is invalid' });
      return;
    }
    record(200);
    answer(res, 200, {
      error: 0,
      message: 'Success',
      data: { message_id: `z_out_${sent}`, user_id: recipient.user_id },
    });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: { FACEBOOK_API_BASE_URL: `${url}/facebook`, ZALO_API_BASE_URL: `${url}/zalo` },
    requests,
    failNext: (platform, failure) =>
      failures[platform].push({ ...failure, left: failure.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
