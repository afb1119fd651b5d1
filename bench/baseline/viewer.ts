import type { Pool } from 'pg';
import {
  conversationScope,
  maskContact,
  masksContactDetails,
  ticketScope,
  type Scope,
} from '../../src/auth/scopes';
import type { TokenService } from '../../src/auth/tokens';
import { isLeader, targetOf, type UserViewer } from '../../src/auth/viewer';
import { Role } from '../../src/entities/enums';

/**
 * The baseline's request context: the HS256 session token checked with the
 * API's own verifier, the user re-read on every request (active, role,
 * branches, session version), and the row scopes of src/auth/scopes.ts
 * written out as SQL for that viewer.
 */
export async function viewerOf(
  pool: Pool,
  tokens: TokenService,
  authorization: string | undefined,
): Promise<UserViewer | null> {
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim()) : null;
  const session = match?.[1] ? tokens.verify(match[1]) : null;
  if (!session) return null;
  const { rows } = await pool.query<{
    role: Role;
    active: boolean;
    session_version: number;
    branch_ids: string[];
  }>(
    `select u.role, u.active, u.session_version,
            array(select b.branch_id::text from user_branch b where b.user_id = u.id) as branch_ids
     from app_user u where u.id = $1`,
    [session.userId],
  );
  const user = rows[0];
  if (!user || !user.active || user.role === Role.PARTNER) return null;
  if (user.session_version !== session.sessionVersion) return null;
  return {
    kind: 'user',
    id: session.userId,
    role: user.role,
    branchIds: user.branch_ids,
    sessionVersion: user.session_version,
  };
}

/** A SQL condition with its parameters from `$<first>` on; null: no row at all. */
export type ScopeSql = { sql: string; params: unknown[] } | null;

const ALL: ScopeSql = { sql: 'true', params: [] };

/**
 * Whether scopes.ts gives this viewer no row, every row, or a part: which
 * part is then written out by hand below.
 */
function reach(scope: Scope<object>): 'none' | 'all' | 'part' {
  if (scope === null) return 'none';
  return Object.keys(scope).length === 0 ? 'all' : 'part';
}

/** ticketScope: the team's tickets for a leader, one's own for staff. */
export function ticketScopeSql(viewer: UserViewer, alias: string, first: number): ScopeSql {
  const target = targetOf(viewer.role);
  const scope = reach(ticketScope(viewer));
  if (scope !== 'part' || !target) return scope === 'all' ? ALL : null;
  const team = `${alias}.belong_to = $${first} and ${alias}.target = $${first}`;
  if (isLeader(viewer.role)) return { sql: team, params: [target] };
  return {
    sql: `${team} and (${alias}.assignee_id = $${first + 1} or ${alias}.in_charge_id = $${first + 1})`,
    params: [target, viewer.id],
  };
}

/** conversationScope: customer-service staff see theirs and the unassigned queue. */
export function conversationScopeSql(viewer: UserViewer, alias: string, first: number): ScopeSql {
  const scope = reach(conversationScope(viewer));
  if (scope !== 'part') return scope === 'all' ? ALL : null;
  return {
    sql: `(${alias}.assignee_id = $${first} or ${alias}.assignee_id is null)`,
    params: [viewer.id],
  };
}

/** A customer's phone or e-mail as this viewer may see it. */
export function contactFor(viewer: UserViewer, value: string | null): string | null {
  return masksContactDetails(viewer) ? maskContact(value) : value;
}

/** `{ id, fullName, phone }` of a joined customer, or null. */
export function customerRef(
  viewer: UserViewer,
  row: { customer_id: string | null; full_name: string | null; phone: string | null },
) {
  return row.customer_id === null
    ? null
    : { id: row.customer_id, fullName: row.full_name, phone: contactFor(viewer, row.phone) };
}
