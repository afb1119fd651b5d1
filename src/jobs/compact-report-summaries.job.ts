import type { MikroORM } from '@mikro-orm/postgresql';
import { rawRows } from '../db/raw-sql';

/**
 * Every minute: fold the order report's deltas into its cells (the
 * report_summaries migration). Reports stay exact without it, since they add
 * the deltas not folded yet; it keeps the deltas they read few.
 */
export const compactReportSummariesSchedule = '* * * * *';

/** Returns how many cells took deltas (0 when another instance is compacting). */
export async function compactReportSummaries(orm: MikroORM): Promise<number> {
  const [row] = await rawRows<{ folded: number }>(
    orm.em.fork(),
    'select "order_report_compact"() as folded',
  );
  return row?.folded ?? 0;
}
