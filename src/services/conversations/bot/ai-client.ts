import { z } from 'zod';

/**
 * A client for any OpenAI-compatible chat endpoint
 * (`POST {baseUrl}/chat/completions`). Confidence: the system prompt asks
 * the model to reply with one JSON object `{"answer": "...", "confidence":
 * 0..1}` and the request sets `response_format: json_object`; token
 * log-probabilities were not used because many compatible servers do not
 * return them and they measure fluency, not whether the shop's facts are
 * known. A reply that is not that object is a provider failure (it counts
 * for the breaker), a low confidence is a healthy "I don't know".
 */
export type AiTurn = { role: 'user' | 'assistant'; content: string };

export type AiAnswer = { answer: string; confidence: number };

export class AiProviderError extends Error {
  constructor(
    readonly kind: 'TIMEOUT' | 'HTTP' | 'NETWORK' | 'MALFORMED',
    message: string,
  ) {
    super(message);
    this.name = 'AiProviderError';
  }
}

export interface AiClient {
  ask(turns: AiTurn[], timeoutMs: number): Promise<AiAnswer>;
}

export const SYSTEM_PROMPT = [
  'Bạn là trợ lý chăm sóc khách hàng của một shop bán hàng online tại Việt Nam.',
  'Trả lời ngắn gọn, lịch sự, bằng ngôn ngữ khách dùng.',
  'Chỉ trả lời khi bạn chắc chắn; không bịa thông tin về đơn hàng, giá hay chính sách.',
  'Reply with exactly one JSON object and nothing else:',
  '{"answer": "<your reply to the buyer>", "confidence": <a number from 0 to 1>}.',
  'confidence is how sure you are that the answer is correct for this shop;',
  'use a value below 0.5 when the question needs order data or policies you were not given.',
].join('\n');

const completionSchema = z.object({
  choices: z
    .array(z.object({ message: z.object({ content: z.string().nullable().optional() }) }))
    .min(1),
});

const answerSchema = z.object({
  answer: z.string().trim().min(1).max(4_000),
  confidence: z.coerce.number().min(0).max(1),
});

/** Models sometimes wrap JSON in a Markdown fence despite being told not to. */
const unfence = (text: string): string =>
  text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/```$/, '')
    .trim();

function parseAnswer(body: unknown): AiAnswer {
  const completion = completionSchema.safeParse(body);
  const content = completion.success ? completion.data.choices[0]?.message.content : undefined;
  if (!content) throw new AiProviderError('MALFORMED', 'the reply has no message content');
  let json: unknown;
  try {
    json = JSON.parse(unfence(content));
  } catch {
    throw new AiProviderError('MALFORMED', 'the message content is not JSON');
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    throw new AiProviderError('MALFORMED', 'the JSON lacks a text answer and a 0..1 confidence');
  }
  return parsed.data;
}

export function createOpenAiCompatibleClient(options: {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
}): AiClient {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    async ask(turns, timeoutMs) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      let response: Response;
      let body: unknown;
      try {
        // One signal covers the headers and the body: a provider that stalls mid-body times out too.
        const signal = AbortSignal.timeout(timeoutMs);
        response = await fetch(endpoint, {
          method: 'POST',
          headers,
          signal,
          body: JSON.stringify({
            model: options.model,
            temperature: 0.2,
            max_tokens: 500,
            response_format: { type: 'json_object' },
            messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...turns],
          }),
        });
        if (!response.ok) {
          await response.body?.cancel().catch(() => undefined);
          throw new AiProviderError('HTTP', `HTTP ${response.status}`);
        }
        body = await response.json().catch((error: unknown) => {
          if (signal.aborted) throw error;
          throw new AiProviderError('MALFORMED', 'the reply is not JSON');
        });
      } catch (error) {
        if (error instanceof AiProviderError) throw error;
        if (error instanceof DOMException && error.name === 'TimeoutError') {
          throw new AiProviderError('TIMEOUT', `no answer within ${timeoutMs} ms`);
        }
        throw new AiProviderError(
          'NETWORK',
          error instanceof Error ? error.message : 'request failed',
        );
      }
      return parseAnswer(body);
    },
  };
}
