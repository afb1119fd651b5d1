import type { Pool } from 'pg';
import type { UserViewer } from '../../../src/auth/viewer';
import { iso, pageOf, userRef } from '../page';
import { PAGE_SIZE } from '../queries';
import { customerRef, ticketScopeSql } from '../viewer';

type Row = {
  id: string;
  title: string;
  status: string;
  due_at: Date | null;
  created_at: Date;
  customer_id: string;
  full_name: string;
  phone: string | null;
  assignee_id: string | null;
  assignee_email: string | null;
  branch_id: string;
  branch_code: string;
  note_id: string | null;
  note_body: string | null;
  note_created_at: Date | null;
  author_id: string | null;
  author_email: string | null;
};

/** The queue: a page of tickets, newest first, with their latest note, and the count. */
export async function ticketsPage(pool: Pool, viewer: UserViewer) {
  const scope = ticketScopeSql(viewer, 't', 2);
  const countScope = ticketScopeSql(viewer, 't', 1);
  if (!scope || !countScope) {
    const pageInfo = { hasNextPage: false, endCursor: null };
    return { tickets: { totalCount: 0, edges: [], pageInfo } };
  }
  const [list, count] = await Promise.all([
    pool.query<Row>(
      `select t.id, case when t.title_names_customer then t.title || ': ' || c.full_name else t.title end as title, t.status, t.due_at, t.created_at,
              c.id as customer_id, c.full_name, c.phone,
              a.id as assignee_id, a.email as assignee_email,
              b.id as branch_id, b.code as branch_code,
              n.id as note_id, n.body as note_body, n.created_at as note_created_at,
              na.id as author_id, na.email as author_email
       from ticket t
       join customer c on c.id = t.customer_id
       join branch b on b.id = t.branch_id
       left join app_user a on a.id = t.assignee_id
       left join lateral (
         select id, body, created_at, author_id from ticket_note
         where ticket_id = t.id order by created_at desc, id desc limit 1
       ) n on true
       left join app_user na on na.id = n.author_id
       where ${scope.sql}
       order by t.created_at desc, t.id desc
       limit $1`,
      [PAGE_SIZE + 1, ...scope.params],
    ),
    pool.query<{ n: string }>(
      `select count(*) as n from ticket t where ${countScope.sql}`,
      countScope.params,
    ),
  ]);
  const page = pageOf(
    list.rows,
    PAGE_SIZE,
    { key: 'createdAt:DESC', value: (row) => row.created_at },
    (row) => ({
      id: row.id,
      title: row.title,
      status: row.status,
      dueAt: iso(row.due_at),
      createdAt: iso(row.created_at),
      customer: customerRef(viewer, row),
      assignee: userRef(row.assignee_id, row.assignee_email),
      branch: { id: row.branch_id, code: row.branch_code },
      latestNote:
        row.note_id === null
          ? null
          : {
              id: row.note_id,
              body: row.note_body,
              createdAt: iso(row.note_created_at),
              author: userRef(row.author_id, row.author_email),
            },
    }),
  );
  return { tickets: { totalCount: Number(count.rows[0]?.n ?? 0), ...page } };
}
