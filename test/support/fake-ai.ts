/**
 * A fake OpenAI-compatible chat endpoint on 127.0.0.1, for tests of the bot.
 *
 *   const ai = await startFakeAi();                  // answers { answer: 'AI says hi', confidence: 0.9 }
 *   const app = await startTestApp({ platformEnv: { ...TEST_PLATFORM_ENV, ...ai.env } });
 *   ai.behave({ answer: 'Phí ship 20k', confidence: 0.3 });  // a low-confidence answer
 *   ai.behave({ delayMs: 10_000 });                  // answers only after 10 s (a timeout)
 *   ai.behave({ status: 500 });                      // fails
 *   ai.behave({ malformed: true });                  // 200 with content that is not the JSON asked for
 *   ai.requests                                      // every POST /chat/completions: headers and body
 *   await ai.close();                                // also drops requests still being delayed
 *
 * A behaviour holds until the next behave() call. `env` holds AI_BASE_URL,
 * AI_API_KEY and AI_MODEL for loadConfig.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAiBehaviour = {
  answer?: string;
  confidence?: number;
  delayMs?: number;
  status?: number;
  malformed?: boolean;
};

export type FakeAiRequest = {
  authorization: string | undefined;
  body: { model?: string; messages?: { role: string; content: string }[] };
};

export type FakeAi = {
  env: { AI_BASE_URL: string; AI_API_KEY: string; AI_MODEL: string };
  requests: FakeAiRequest[];
  behave: (behaviour: FakeAiBehaviour) => void;
  close: () => Promise<void>;
};

const HEALTHY: FakeAiBehaviour = { answer: 'AI says hi', confidence: 0.9 };

async function readJson(req: IncomingMessage): Promise<FakeAiRequest['body']> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeAiRequest['body'];
}

function respond(res: ServerResponse, behaviour: FakeAiBehaviour): void {
  if (res.destroyed) return;
  if (behaviour.status && behaviour.status >= 400) {
    res.writeHead(behaviour.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'fake failure' } }));
    return;
  }
  const content = behaviour.malformed
    ? 'Sure! The shipping fee is 20k.'
    : JSON.stringify({
        answer: behaviour.answer ?? HEALTHY.answer,
        confidence: behaviour.confidence ?? HEALTHY.confidence,
      });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    }),
  );
}

export async function startFakeAi(): Promise<FakeAi> {
  let behaviour: FakeAiBehaviour = HEALTHY;
  const requests: FakeAiRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      requests.push({ authorization: req.headers.authorization, body: await readJson(req) });
      const current = behaviour;
      if (!current.delayMs) {
        respond(res, current);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond(res, current);
      }, current.delayMs);
      timers.add(timer);
      // The client gave up (its timeout): nothing left to answer.
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: {
      AI_BASE_URL: `http://127.0.0.1:${port}/v1`,
      AI_API_KEY: 'fake-ai-key',
      AI_MODEL: 'fake-model',
    },
    requests,
    behave: (next) => {
      behaviour = { ...next };
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
