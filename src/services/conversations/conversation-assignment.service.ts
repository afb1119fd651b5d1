import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { conversationScope, within } from '../../auth/scopes';
import { Channel, Conversation, User } from '../../entities';
import { ConversationStatus, Role } from '../../entities/enums';
import { rawRows } from '../../db/raw-sql';
import type { EventBus } from '../../realtime/event-bus';
import { TOPICS } from '../../kernel/topics';
import type { ConversationChangedEvent } from './conversation-contracts';
import { assertId, badInput, notFound } from '../../kernel/errors';
import type { RequestScope } from '../../kernel/request-scope';

/**
 * Who receives a conversation in a branch: an active CUSTOMER_SERVICE user of
 * the branch who has not been taken off assignments there (the same
 * assignment_setting.active switch that governs tickets; no setting means
 * they receive), with the fewest unresolved conversations; ties go to the
 * one whose last assignment is oldest (never assigned first), which turns
 * equal loads into a round robin. `$1` is the branch; `$2` optionally one
 * user, to check that user's eligibility with the same rule.
 */
const ELIGIBLE_AGENTS = `
  select u."id",
         (select count(*) from "conversation" c
           where c."assignee_id" = u."id" and c."status" <> '${ConversationStatus.RESOLVED}')::int as "load",
         (select max(c."assigned_at") from "conversation" c where c."assignee_id" = u."id") as "last_assigned_at"
    from "app_user" u
    join "user_branch" ub on ub."user_id" = u."id" and ub."branch_id" = ?
    left join "assignment_setting" s on s."user_id" = u."id" and s."branch_id" = ub."branch_id"
   where u."role" = '${Role.CUSTOMER_SERVICE}' and u."active" and coalesce(s."active", true)`;

/**
 * Handoffs of one branch queue behind each other until their transaction
 * ends, so each counts the loads with the previous one's assignment
 * committed: ten simultaneous handoffs spread over the agents instead of all
 * landing on the one that was least loaded when they started.
 */
const lockBranch = (tx: EntityManager, branchId: string) =>
  rawRows(tx, `select pg_advisory_xact_lock(hashtext('conversation-assignment'), hashtext(?))`, [
    branchId,
  ]);

function publishAssigned(bus: EventBus, conversationId: string, previousAssigneeId: string | null) {
  bus.publish(TOPICS.conversationChanged, {
    conversationId,
    action: 'ASSIGNED',
    previousAssigneeId,
  } satisfies ConversationChangedEvent);
}

async function branchOf(tx: EntityManager, conversation: Conversation): Promise<string | null> {
  const channel = await tx.findOne(Channel, conversation.channel.id, { fields: ['branch'] });
  return channel?.branch?.id ?? null;
}

export const conversationAssignment = {
  /**
   * Inside the handoff's transaction: gives the conversation to the next
   * agent of its channel's branch, or leaves it in the unassigned queue
   * (OPEN, no assignee) when the channel has no branch or nobody is eligible.
   * Returns the new assignee's id, or null.
   */
  async assignOnHandoff(
    tx: EntityManager,
    conversation: Conversation,
    now: Date,
  ): Promise<string | null> {
    const branchId = await branchOf(tx, conversation);
    let agentId: string | null = null;
    if (branchId) {
      await lockBranch(tx, branchId);
      const [next] = await rawRows<{ id: string }>(
        tx,
        `${ELIGIBLE_AGENTS} order by "load", "last_assigned_at" nulls first, u."id" limit 1`,
        [branchId],
      );
      agentId = next?.id ?? null;
    }
    conversation.handedOffAt = now;
    if (agentId) {
      conversation.assignee = tx.getReference(User, agentId, { wrapped: true });
      conversation.assignedAt = now;
      conversation.status = ConversationStatus.ASSIGNED;
    } else {
      conversation.assignee = undefined;
      conversation.status = ConversationStatus.OPEN;
    }
    return agentId;
  },

  /** After the handoff's commit: the new agent (and leaders, who see every conversation) hear of it. */
  publishAssigned,

  /**
   * A leader (or an admin) gives a conversation to another agent: an active
   * CUSTOMER_SERVICE user of the channel's branch who receives assignments
   * there. The bot stops answering it (it counts as handed off).
   */
  async reassign(
    { em, viewer }: RequestScope,
    bus: EventBus,
    input: { conversationId: string; assigneeId: string },
  ): Promise<Conversation> {
    const where = within(conversationScope(viewer), {
      id: assertId(input.conversationId, 'conversationId'),
    });
    const assigneeId = assertId(input.assigneeId, 'assigneeId');
    let previous: string | null = null;
    const conversation = await em.transactional(async (tx) => {
      // Locked so a bot answer or handoff in flight sees the new owner.
      const found = where
        ? await tx.findOne(Conversation, where, { lockMode: LockMode.PESSIMISTIC_WRITE })
        : null;
      if (!found) throw notFound('Conversation', input.conversationId);
      if (found.status === ConversationStatus.RESOLVED) {
        throw badInput(
          'conversationId: a resolved conversation is not reassigned',
          'conversationId',
        );
      }
      previous = found.assignee?.id ?? null;
      if (previous === assigneeId) return found;
      const branchId = await branchOf(tx, found);
      if (!branchId) {
        throw badInput(
          'conversationId: its channel belongs to no branch, so it has no agents',
          'conversationId',
        );
      }
      await lockBranch(tx, branchId);
      const [eligible] = await rawRows<{ id: string }>(tx, `${ELIGIBLE_AGENTS} and u."id" = ?`, [
        branchId,
        assigneeId,
      ]);
      if (!eligible) {
        throw badInput(
          `assigneeId: ${assigneeId} is not an active customer-service agent receiving assignments in the channel's branch`,
          'assigneeId',
        );
      }
      const now = new Date();
      found.assignee = tx.getReference(User, assigneeId, { wrapped: true });
      found.assignedAt = now;
      found.handedOffAt ??= now;
      found.status = ConversationStatus.ASSIGNED;
      return found;
    });
    if (previous !== assigneeId) publishAssigned(bus, conversation.id, previous);
    return conversation;
  },
};
