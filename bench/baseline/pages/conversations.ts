import type { Pool } from 'pg';
import type { UserViewer } from '../../../src/auth/viewer';
import { iso, pageOf, userRef } from '../page';
import { PAGE_SIZE } from '../queries';
import { customerRef, conversationScopeSql } from '../viewer';

type Row = {
  id: string;
  status: string;
  unread_count: number;
  last_message_at: Date | null;
  updated_at: Date;
  assignee_id: string | null;
  assignee_email: string | null;
  customer_id: string | null;
  full_name: string | null;
  phone: string | null;
  message_id: string | null;
  body: string | null;
  direction: string | null;
  sender: string | null;
  sent_at: Date | null;
};

/** The inbox: most recently active conversations with their newest message. */
export async function conversationsPage(pool: Pool, viewer: UserViewer) {
  const scope = conversationScopeSql(viewer, 'cv', 2);
  if (!scope)
    return { conversations: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } };
  const { rows } = await pool.query<Row>(
    `select cv.id, cv.status, cv.unread_count, cv.last_message_at, cv.updated_at,
            a.id as assignee_id, a.email as assignee_email,
            c.id as customer_id, c.full_name, c.phone,
            m.id as message_id, m.body, m.direction, m.sender, m.sent_at
     from conversation cv
     left join app_user a on a.id = cv.assignee_id
     left join customer c on c.id = cv.customer_id
     left join lateral (
       select id, body, direction, sender, sent_at from message
       where conversation_id = cv.id order by sent_at desc, id desc limit 1
     ) m on true
     where ${scope.sql}
     order by cv.updated_at desc, cv.id desc
     limit $1`,
    [PAGE_SIZE + 1, ...scope.params],
  );
  const page = pageOf(
    rows,
    PAGE_SIZE,
    { key: 'updatedAt:DESC', value: (row) => row.updated_at },
    (row) => ({
      id: row.id,
      status: row.status,
      unreadCount: row.unread_count,
      lastMessageAt: iso(row.last_message_at),
      updatedAt: iso(row.updated_at),
      assignee: userRef(row.assignee_id, row.assignee_email),
      customer: customerRef(viewer, row),
      messages: {
        edges:
          row.message_id === null
            ? []
            : [
                {
                  node: {
                    id: row.message_id,
                    body: row.body,
                    direction: row.direction,
                    sender: row.sender,
                    sentAt: iso(row.sent_at),
                  },
                },
              ],
      },
    }),
  );
  return { conversations: page };
}
