/**
 * Merging duplicate customers and undoing a merge. A merge moves every row
 * that points at the merged customers to the survivor in one transaction,
 * keeps the merged rows as tombstones (merged_into = survivor), and stores
 * the before-state: exactly which row of which table pointed where, the
 * survivor fields that `fieldChoices` overwrote, label links, identities and
 * the older tombstones re-pointed to keep every tombstone one hop from its
 * survivor. An un-merge replays that record backwards.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { placeholders } from '../../db/raw-sql';
import { LockMode } from '@mikro-orm/core';
import { Branch, Customer, CustomerMerge } from '../../entities';
import type { Gender } from '../../entities/enums';
import type { EventBus } from '../../realtime/event-bus';
import { audit } from '../shared/audit';
import { publishCustomerChanged } from './customer.service';
import { DomainError, assertId, badInput, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';
import { actingUserId } from '../shared/actor';

/** Tables whose rows belong to a customer through a "customer_id" column. */
const OWNED_TABLES = [
  'ticket',
  'customer_order',
  'conversation',
  'payment',
  'customer_note',
] as const;
type OwnedTable = (typeof OWNED_TABLES)[number];

/** The survivor fields a merge may take from one of the customers. */
export type MergeFieldChoices = {
  fullName?: string | null;
  phone?: string | null;
  email?: string | null;
  birthday?: string | null;
  gender?: string | null;
  branch?: string | null;
  notes?: string | null;
};
type ChoosableField = keyof MergeFieldChoices;
const CHOOSABLE: ChoosableField[] = [
  'fullName',
  'phone',
  'email',
  'birthday',
  'gender',
  'branch',
  'notes',
];

type FieldValues = Partial<Record<ChoosableField, string | null>>;

/** customer id -> ids of rows that pointed at it. */
type Pointers = Record<string, string[]>;

export type MergeBeforeState = {
  survivorFields: FieldValues;
  updatedAt: Record<string, string>;
  rows: Record<OwnedTable, Pointers>;
  identities: Pointers;
  tombstones: Pointers;
  labels: Record<string, string[]>;
};

const conflict = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError('CONFLICT', message, { reason, ...details });

const fieldOf = (customer: Customer, field: ChoosableField): string | null => {
  if (field === 'branch') return customer.branch?.id ?? null;
  return customer[field] ?? null;
};

function assign(customer: Customer, values: FieldValues, em: EntityManager): void {
  for (const [field, value] of Object.entries(values) as [ChoosableField, string | null][]) {
    if (field === 'branch')
      customer.branch = value ? em.getReference(Branch, value, { wrapped: true }) : undefined;
    else if (field === 'fullName') customer.fullName = value ?? customer.fullName;
    else if (field === 'gender') customer.gender = (value as Gender | null) ?? undefined;
    else customer[field] = value ?? undefined;
  }
}

/** Moves `column` of `table` from `from` to `to`, returning which row pointed where. */
async function repoint(
  em: EntityManager,
  table: string,
  column: string,
  from: string[],
  to: string,
): Promise<Pointers> {
  const rows = await em.execute<{ id: string; old: string }[]>(
    `update "${table}" t set "${column}" = ?
     from (select "id", "${column}" as "old" from "${table}" where "${column}" in (${placeholders(from)})) o
     where t."id" = o."id"
     returning t."id", o."old"`,
    [to, ...from],
  );
  const pointers: Pointers = {};
  for (const row of rows) (pointers[row.old] ??= []).push(row.id);
  return pointers;
}

async function restore(
  em: EntityManager,
  table: string,
  column: string,
  pointers: Pointers,
): Promise<void> {
  for (const [owner, ids] of Object.entries(pointers)) {
    if (ids.length === 0) continue;
    await em.execute(`update "${table}" set "${column}" = ? where "id" in (${placeholders(ids)})`, [
      owner,
      ...ids,
    ]);
  }
}

async function labelsOf(em: EntityManager, ids: string[]): Promise<Record<string, string[]>> {
  const rows = await em.execute<{ customer_id: string; customer_label_id: string }[]>(
    `select "customer_id", "customer_label_id" from "customer_label_link"
     where "customer_id" in (${placeholders(ids)}) order by "customer_label_id"`,
    ids,
  );
  const labels: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
  for (const row of rows) labels[row.customer_id]?.push(row.customer_label_id);
  return labels;
}

async function setLabelLinks(em: EntityManager, labels: Record<string, string[]>): Promise<void> {
  const owners = Object.keys(labels);
  await em.execute(
    `delete from "customer_label_link" where "customer_id" in (${placeholders(owners)})`,
    owners,
  );
  const pairs = Object.entries(labels).flatMap(([owner, ids]) => ids.map((id) => [owner, id]));
  if (pairs.length === 0) return;
  await em.execute(
    `insert into "customer_label_link" ("customer_id", "customer_label_id")
     values ${pairs.map(() => '(?, ?)').join(', ')} on conflict do nothing`,
    pairs.flat(),
  );
}

export const customerMergeService = {
  async merge(
    { em, viewer }: RequestScope,
    bus: EventBus,
    survivorIdRaw: string,
    mergedIdsRaw: string[],
    choices: MergeFieldChoices = {},
  ): Promise<CustomerMerge> {
    const survivorId = assertId(survivorIdRaw, 'survivorId');
    const mergedIds = [...new Set(mergedIdsRaw.map((id) => assertId(id, 'mergedIds')))];
    if (mergedIds.length === 0)
      throw badInput('mergedIds: name at least one customer', 'mergedIds');
    if (mergedIds.length > 50) throw badInput('mergedIds: at most 50 per merge', 'mergedIds');
    if (mergedIds.includes(survivorId)) {
      throw conflict('MERGE_CYCLE', 'A customer cannot be merged into itself');
    }
    const involved = [survivorId, ...mergedIds];
    for (const [field, chosen] of Object.entries(choices) as [
      ChoosableField,
      string | null | undefined,
    ][]) {
      if (chosen && !involved.includes(chosen.toLowerCase())) {
        throw badInput(
          `fieldChoices.${field}: must name the survivor or one of mergedIds`,
          `fieldChoices.${field}`,
        );
      }
    }

    const outcome = await em.transactional(async (tx) => {
      // Locked in id order, so two merges over the same customers queue instead of deadlocking.
      await tx.execute(
        `select "id" from "customer" where "id" in (${placeholders(involved)}) order by "id" for update`,
        involved,
      );
      const customers = await tx.find(Customer, { id: { $in: involved } }, { refresh: true });
      const byId = new Map(customers.map((customer) => [customer.id, customer]));
      for (const id of involved) if (!byId.has(id)) throw notFound('Customer', id);
      const survivor = byId.get(survivorId) as Customer;
      if (survivor.mergedInto) {
        throw mergedIds.includes(survivor.mergedInto.id)
          ? conflict(
              'MERGE_CYCLE',
              `The survivor ${survivorId} was itself merged into ${survivor.mergedInto.id}`,
            )
          : conflict(
              'CUSTOMER_ALREADY_MERGED',
              `The survivor ${survivorId} was merged into ${survivor.mergedInto.id}; merge into that one`,
              {
                customerId: survivorId,
                mergedInto: survivor.mergedInto.id,
              },
            );
      }
      const pending: string[] = [];
      for (const id of mergedIds) {
        const merged = byId.get(id) as Customer;
        if (merged.mergedInto?.id === survivorId) continue; // done by an earlier call: idempotent
        if (merged.mergedInto) {
          throw conflict(
            'CUSTOMER_ALREADY_MERGED',
            `Customer ${id} was already merged into ${merged.mergedInto.id}`,
            {
              customerId: id,
              mergedInto: merged.mergedInto.id,
            },
          );
        }
        if (merged.erasedAt)
          throw conflict('CUSTOMER_ERASED', `Customer ${id} was erased and cannot be merged`, {
            customerId: id,
          });
        pending.push(id);
      }
      if (survivor.erasedAt)
        throw conflict('CUSTOMER_ERASED', `Customer ${survivorId} was erased`, {
          customerId: survivorId,
        });
      if (pending.length === 0) {
        const previous = await tx.findOne(
          CustomerMerge,
          { survivor: survivorId, undoneAt: null },
          { orderBy: { createdAt: 'desc' } },
        );
        if (!previous) throw new Error(`merged customers of ${survivorId} have no merge record`);
        return { merge: previous, fresh: false };
      }

      const before: MergeBeforeState = {
        survivorFields: {},
        updatedAt: Object.fromEntries(
          [survivorId, ...pending].map((id) => [
            id,
            (byId.get(id) as Customer).updatedAt.toISOString(),
          ]),
        ),
        rows: {} as Record<OwnedTable, Pointers>,
        identities: {},
        tombstones: {},
        labels: await labelsOf(tx, [survivorId, ...pending]),
      };
      for (const table of OWNED_TABLES) {
        before.rows[table] = await repoint(tx, table, 'customer_id', pending, survivorId);
      }
      before.identities = await repoint(
        tx,
        'customer_identity',
        'customer_id',
        pending,
        survivorId,
      );
      before.tombstones = await repoint(tx, 'customer', 'merged_into_id', pending, survivorId);
      const union = [...new Set(Object.values(before.labels).flat())].sort();
      await setLabelLinks(tx, {
        [survivorId]: union,
        ...Object.fromEntries(pending.map((id) => [id, []])),
      });

      const chosen: FieldValues = {};
      for (const field of CHOOSABLE) {
        const from = choices[field]?.toLowerCase();
        if (!from || from === survivorId) continue;
        before.survivorFields[field] = fieldOf(survivor, field);
        chosen[field] = fieldOf(byId.get(from) as Customer, field);
      }
      // The tombstones' own fields stay as they were: an un-merge gives them back untouched.
      await tx.execute(
        `update "customer" set "merged_into_id" = ? where "id" in (${placeholders(pending)})`,
        [survivorId, ...pending],
      );
      assign(survivor, chosen, tx);
      const merge = tx.create(CustomerMerge, {
        survivor: survivorId,
        mergedIds: pending,
        before,
        actor: actingUserId(viewer),
      });
      await tx.flush();
      await audit(tx, {
        actor: viewer,
        action: 'customer.merged',
        entityType: 'Customer',
        entityId: survivorId,
        data: { mergeId: merge.id, mergedIds: pending },
      });
      return { merge, fresh: true };
    });
    if (outcome.fresh) publishCustomerChanged(bus, survivorId, 'MERGED', outcome.merge.mergedIds);
    return outcome.merge;
  },

  async unmerge(
    { em, viewer }: RequestScope,
    bus: EventBus,
    mergeIdRaw: string,
  ): Promise<CustomerMerge> {
    const mergeId = assertId(mergeIdRaw, 'mergeId');
    const outcome = await em.transactional(async (tx) => {
      const merge = await tx.findOne(
        CustomerMerge,
        { id: mergeId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!merge) throw notFound('CustomerMerge', mergeId);
      if (merge.undoneAt) return { merge, fresh: false }; // idempotent
      const before = merge.before as MergeBeforeState | null | undefined;
      if (!before) {
        throw conflict(
          'MERGE_NOT_REVERSIBLE',
          'This merge can no longer be undone: the customer was erased',
        );
      }
      const survivorId = merge.survivor.id;
      const involved = [survivorId, ...merge.mergedIds];
      await tx.execute(
        `select "id" from "customer" where "id" in (${placeholders(involved)}) order by "id" for update`,
        involved,
      );
      // A later merge built on this one's result; undoing this one first would strand its record.
      const later = await tx.execute<{ id: string }[]>(
        `select "id" from "customer_merge"
         where "undone_at" is null and "created_at" > ? and "id" <> ?
           and ("survivor_id" in (${placeholders(involved)}) or  jsonb_exists_any("merged_ids", ?::text[]))
         order by "created_at" limit 1`,
        [merge.createdAt, merge.id, ...involved, `{${involved.join(',')}}`],
      );
      if (later[0]) {
        throw conflict(
          'LATER_MERGE',
          `Undo the later merge ${later[0].id} of these customers first`,
          {
            laterMergeId: later[0].id,
          },
        );
      }
      for (const table of OWNED_TABLES)
        await restore(tx, table, 'customer_id', before.rows[table] ?? {});
      await restore(tx, 'customer_identity', 'customer_id', before.identities);
      await restore(tx, 'customer', 'merged_into_id', before.tombstones);
      await setLabelLinks(tx, before.labels);
      await tx.execute(
        `update "customer" set "merged_into_id" = null where "id" in (${placeholders(merge.mergedIds)})`,
        merge.mergedIds,
      );
      const survivor = await tx.findOneOrFail(Customer, { id: survivorId }, { refresh: true });
      assign(survivor, before.survivorFields, tx);
      merge.undoneAt = new Date();
      await tx.flush();
      // updated_at back to the before-state too, so the restored rows compare equal field by field.
      for (const [id, updatedAt] of Object.entries(before.updatedAt)) {
        await tx.execute('update "customer" set "updated_at" = ? where "id" = ?', [
          new Date(updatedAt),
          id,
        ]);
      }
      await audit(tx, {
        actor: viewer,
        action: 'customer.unmerged',
        entityType: 'Customer',
        entityId: survivorId,
        data: { mergeId: merge.id, mergedIds: merge.mergedIds },
      });
      return { merge, fresh: true };
    });
    if (outcome.fresh)
      publishCustomerChanged(bus, outcome.merge.survivor.id, 'UNMERGED', outcome.merge.mergedIds);
    return outcome.merge;
  },
};
