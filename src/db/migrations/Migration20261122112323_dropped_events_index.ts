import { Migration } from '@mikro-orm/migrations';

/**
 * The integration report counts pushes the lattice dropped (stale or
 * repeated) by arrival time; without this it read all of order_status_event
 * (a million rows at the demo's scale 10) to find the few unapplied ones.
 */
export class Migration20261122112323_dropped_events_index extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "order_status_event_dropped_idx" on "order_status_event" ("received_at") where not "applied";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "order_status_event_dropped_idx";`);
  }

}
