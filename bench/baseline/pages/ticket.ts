import type { Pool } from 'pg';
import type { UserViewer } from '../../../src/auth/viewer';
import { iso, pageOf, userRef } from '../page';
import { DETAIL_PAGE_SIZE } from '../queries';
import { contactFor, ticketScopeSql } from '../viewer';

type TicketRow = {
  id: string;
  title: string;
  description: string | null;
  status: string;
  result: string | null;
  source: string;
  target: string;
  due_at: Date | null;
  completed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  customer_id: string;
  full_name: string;
  phone: string | null;
  email: string | null;
  branch_id: string;
  code: string;
  branch_name: string;
  assignee_id: string | null;
  assignee_email: string | null;
  assignee_name: string | null;
  curator_id: string | null;
  curator_email: string | null;
  curator_name: string | null;
};

type ChildRow = { id: string; created_at: Date; user_id: string | null; user_email: string | null };

type HistoryRow = ChildRow & { field: string; before: unknown; after: unknown };

type NoteRow = ChildRow & { body: string };

/** A child table's newest rows of a ticket, with their user, and their count. */
async function children<Row extends ChildRow>(
  pool: Pool,
  table: 'ticket_history' | 'ticket_note',
  columns: string,
  userColumn: string,
  ticketId: string,
): Promise<{ rows: Row[]; count: number }> {
  const [list, count] = await Promise.all([
    pool.query<Row>(
      `select x.id, x.created_at, ${columns}, u.id as user_id, u.email as user_email
       from ${table} x left join app_user u on u.id = x.${userColumn}
       where x.ticket_id = $1 order by x.created_at desc, x.id desc limit $2`,
      [ticketId, DETAIL_PAGE_SIZE + 1],
    ),
    pool.query<{ n: string }>(`select count(*) as n from ${table} where ticket_id = $1`, [
      ticketId,
    ]),
  ]);
  return { rows: list.rows, count: Number(count.rows[0]?.n ?? 0) };
}

const person = (id: string | null, email: string | null, fullName: string | null) =>
  id === null ? null : { id, email, fullName };

/** One ticket in the viewer's scope with its people, its history and its notes. */
export async function ticketDetail(pool: Pool, viewer: UserViewer, id: string) {
  const scope = ticketScopeSql(viewer, 't', 2);
  if (!scope) return null;
  const { rows } = await pool.query<TicketRow>(
    `select t.id, case when t.title_names_customer then t.title || ': ' || c.full_name else t.title end as title, t.description, t.status, t.result, t.source, t.target, t.due_at,
            t.completed_at, t.created_at, t.updated_at, t.version,
            c.id as customer_id, c.full_name, c.phone, c.email,
            b.id as branch_id, b.code, b.name as branch_name,
            a.id as assignee_id, a.email as assignee_email, a.full_name as assignee_name,
            i.id as curator_id, i.email as curator_email, i.full_name as curator_name
     from ticket t join customer c on c.id = t.customer_id join branch b on b.id = t.branch_id
     left join app_user a on a.id = t.assignee_id left join app_user i on i.id = t.in_charge_id
     where t.id = $1 and ${scope.sql}`,
    [id, ...scope.params],
  );
  const t = rows[0];
  if (!t) return null;
  const [history, notes] = await Promise.all([
    children<HistoryRow>(pool, 'ticket_history', 'x.field, x.before, x.after', 'actor_id', t.id),
    children<NoteRow>(pool, 'ticket_note', 'x.body', 'author_id', t.id),
  ]);
  const sort = { key: 'createdAt:DESC', value: (row: ChildRow) => row.created_at };
  return {
    id: t.id,
    title: t.title,
    description: t.description,
    status: t.status,
    result: t.result,
    source: t.source,
    target: t.target,
    dueAt: iso(t.due_at),
    completedAt: iso(t.completed_at),
    createdAt: iso(t.created_at),
    updatedAt: iso(t.updated_at),
    version: t.version,
    customer: {
      id: t.customer_id,
      fullName: t.full_name,
      phone: contactFor(viewer, t.phone),
      email: contactFor(viewer, t.email),
    },
    assignee: person(t.assignee_id, t.assignee_email, t.assignee_name),
    inCharge: person(t.curator_id, t.curator_email, t.curator_name),
    branch: { id: t.branch_id, code: t.code, name: t.branch_name },
    history: {
      totalCount: history.count,
      ...pageOf(history.rows, DETAIL_PAGE_SIZE, sort, (row) => ({
        id: row.id,
        field: row.field,
        before: row.before,
        after: row.after,
        createdAt: iso(row.created_at),
        actor: userRef(row.user_id, row.user_email),
      })),
    },
    notes: {
      totalCount: notes.count,
      ...pageOf(notes.rows, DETAIL_PAGE_SIZE, sort, (row) => ({
        id: row.id,
        body: row.body,
        createdAt: iso(row.created_at),
        author: userRef(row.user_id, row.user_email),
      })),
    },
  };
}
