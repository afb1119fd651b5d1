import type { MikroORM } from '@mikro-orm/postgresql';
import type { ReconciliationRun } from '../entities';
import {
  previousBusinessDate,
  reconciliationService,
} from '../services/orders/reconciliation.service';

/** 02:30 business time: the previous day is over and its late webhooks have mostly arrived. */
export const reconcilePaymentsSchedule = '30 2 * * *';

/** Reconciles the business day before `now` (Asia/Ho_Chi_Minh), replacing an earlier run of it. */
export function reconcilePayments(orm: MikroORM, now = new Date()): Promise<ReconciliationRun> {
  return reconciliationService.run(orm.em.fork(), previousBusinessDate(now), now);
}
