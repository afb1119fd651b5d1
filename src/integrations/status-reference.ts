/**
 * The raw statuses each platform's pushes may carry, as a Markdown table for
 * docs/webhooks.md, rendered from the very tables normalize() reads, so the
 * guide lists what the code accepts (test/guides.test.ts compares them;
 * `npm run docs:statuses` rewrites the guide's section).
 */
import { LAZADA_ORDER_STATUSES, LAZADA_REVERSE_STATUSES } from './lazada';
import { SENDO_ORDER_STATUSES } from './sendo';
import { SHOPEE_ORDER_STATUSES, SHOPEE_RETURN_STATUSES } from './shopee';
import type { StatusRule, StatusTable } from './status-table';
import { TIKI_ORDER_STATUSES } from './tiki';
import { TIKTOK_CANCEL_STATUSES, TIKTOK_ORDER_STATUSES, TIKTOK_RETURN_STATUSES } from './tiktok';

/** Where a table's raw status is read from. */
const TABLES: readonly { where: string; table: StatusTable }[] = [
  {
    where: 'Lazada, trade order (`message_type` 0), `data.order_status`',
    table: LAZADA_ORDER_STATUSES,
  },
  {
    where: 'Lazada, reverse order (`message_type` 10), `data.reverse_status`',
    table: LAZADA_REVERSE_STATUSES,
  },
  { where: 'Shopee, order status (`code` 3), `data.status`', table: SHOPEE_ORDER_STATUSES },
  { where: 'Shopee, return status (read from the order API)', table: SHOPEE_RETURN_STATUSES },
  {
    where: 'TikTok Shop, order status (`type` 1), `data.order_status`',
    table: TIKTOK_ORDER_STATUSES,
  },
  {
    where: 'TikTok Shop, cancellation (`type` 11), `data.cancel_status`',
    table: TIKTOK_CANCEL_STATUSES,
  },
  { where: 'TikTok Shop, return (`type` 12), `data.return_status`', table: TIKTOK_RETURN_STATUSES },
  { where: 'Sendo, `order_status` (an integer)', table: SENDO_ORDER_STATUSES },
  { where: 'Tiki (pulled), order status', table: TIKI_ORDER_STATUSES },
];

/** What a rule does to the order, in words. */
function outcome(rule: StatusRule): string {
  const parts: string[] = [];
  if (rule.revert) parts.push(`back to the status before the return (${rule.status ?? '?'})`);
  else parts.push(rule.status ?? 'status unchanged');
  for (const [flag, value] of Object.entries(rule.flags ?? {})) {
    parts.push(`${value ? 'sets' : 'clears'} \`${flag}\``);
  }
  if (rule.refetch) parts.push('re-reads the order detail');
  return parts.join(', ');
}

/** One row per (table, outcome), the raw statuses in the code's order. */
export function statusReferenceMarkdown(): string {
  const lines = [
    '| where the status is | raw statuses | the order becomes |',
    '| --- | --- | --- |',
  ];
  for (const { where, table } of TABLES) {
    const byOutcome = new Map<string, string[]>();
    for (const [raw, rule] of Object.entries(table.rows)) {
      const key = outcome(rule);
      byOutcome.set(key, [...(byOutcome.get(key) ?? []), `\`${raw}\``]);
    }
    for (const [result, raws] of byOutcome)
      lines.push(`| ${where} | ${raws.join(', ')} | ${result} |`);
  }
  return `${lines.join('\n')}\n`;
}

export const STATUS_SECTION_START =
  '<!-- statuses:start (generated: npm run docs:statuses; test/guides.test.ts checks it) -->';
export const STATUS_SECTION_END = '<!-- statuses:end -->';

/** The guide's text with its status section replaced by the current table. */
export function withStatusReference(guide: string): string {
  const start = guide.indexOf(STATUS_SECTION_START);
  const end = guide.indexOf(STATUS_SECTION_END);
  if (start < 0 || end < start) throw new Error('the guide has no status section markers');
  return `${guide.slice(0, start + STATUS_SECTION_START.length)}\n\n${statusReferenceMarkdown()}\n${guide.slice(end)}`;
}
