import type { EntityManager } from '@mikro-orm/postgresql';
import { rawRows } from '../../../db/raw-sql';
import { BotStep, MessageSender } from '../../../entities/enums';
import { assertIds, badInput } from '../../../kernel/errors';

export type AiStats = {
  from: Date;
  to: Date;
  answersByStep: { step: BotStep; count: number }[];
  totalAnswers: number;
  /** Over every bot message of the window (handoff notices included); null without any. */
  medianLatencyMs: number | null;
  p95LatencyMs: number | null;
  /** Conversations with at least one bot message in the window. */
  botConversations: number;
  /** Of those, the ones the bot handed off in the window. */
  handoffs: number;
  /** handoffs / botConversations; null when the bot touched nothing. */
  handoffRate: number | null;
};

const MAX_RANGE_MS = 366 * 86_400_000;

/**
 * The bot's answers sent in [from, to), optionally on some channels only.
 * Counted from the bot's own messages (sender BOT, a bot step), which carry
 * the step and the latency; one statement over the partial index on
 * message(sent_at) where bot_step is not null.
 */
export async function aiStats(
  em: EntityManager,
  input: { from: Date; to: Date; channelIds?: string[] | null },
): Promise<AiStats> {
  const { from, to } = input;
  if (!(from < to)) throw badInput('from must be before to', 'from');
  if (to.getTime() - from.getTime() > MAX_RANGE_MS)
    throw badInput('at most 366 days at once', 'to');
  const channels = assertIds(input.channelIds ?? undefined, 'channelIds');
  const channelFilter = channels?.length ? `and m."channel_id" = any(?::uuid[])` : '';
  const params: unknown[] = [MessageSender.BOT, from, to, ...(channels?.length ? [channels] : [])];
  const [row] = await rawRows<{
    by_step: Record<string, number> | null;
    total: number;
    median: number | null;
    p95: number | null;
    conversations: number;
    handoffs: number;
  }>(
    em,
    `with bot as (
       select m."bot_step", m."bot_latency_ms", m."conversation_id"
         from "message" m
        where m."bot_step" is not null and m."sender" = ? and m."sent_at" >= ? and m."sent_at" < ?
              ${channelFilter})
     select (select jsonb_object_agg(s."bot_step", s."n")
               from (select "bot_step", count(*)::int as "n" from bot group by "bot_step") s) as "by_step",
            count(*)::int as "total",
            percentile_cont(0.5) within group (order by "bot_latency_ms") as "median",
            percentile_cont(0.95) within group (order by "bot_latency_ms") as "p95",
            count(distinct "conversation_id")::int as "conversations",
            count(distinct "conversation_id")
              filter (where "bot_step" = '${BotStep.HANDOFF}')::int as "handoffs"
       from bot`,
    params,
  );
  const byStep = row?.by_step ?? {};
  const conversations = row?.conversations ?? 0;
  const handoffs = row?.handoffs ?? 0;
  return {
    from,
    to,
    answersByStep: Object.values(BotStep).map((step) => ({ step, count: byStep[step] ?? 0 })),
    totalAnswers: row?.total ?? 0,
    medianLatencyMs: row?.median ?? null,
    p95LatencyMs: row?.p95 ?? null,
    botConversations: conversations,
    handoffs,
    handoffRate: conversations > 0 ? handoffs / conversations : null,
  };
}
