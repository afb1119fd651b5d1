/**
 * The list pages of bench:pages, as a web or mobile client asks for them:
 * ids for the client's cache, the columns a row shows, edges, node and
 * pageInfo. The bench sends these very documents to the API and to the
 * baseline, which answers each one by its text (a persisted query, in effect).
 */
export const PAGE_NAMES = ['tickets', 'orders', 'customers', 'conversations', 'ticket'] as const;

export type PageName = (typeof PAGE_NAMES)[number];

export const PAGE_SIZE = 50;

/** Nested connections of the ticket detail. */
export const DETAIL_PAGE_SIZE = 20;

export const PAGE_QUERIES: Record<PageName, string> = {
  // The agents' queue; the count is what the queue's header shows.
  tickets: `query TicketsPage($first: Int) {
  tickets(first: $first) {
    totalCount
    edges {
      cursor
      node {
        id title status dueAt createdAt
        customer { id fullName phone }
        assignee { id email }
        branch { id code }
        latestNote { id body createdAt author { id email } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  orders: `query OrdersPage($first: Int) {
  orders(first: $first) {
    edges {
      cursor
      node {
        id externalId platform status total currency placedAt
        items { id sku name quantity unitPrice total }
        customer { id fullName phone }
        channel { id name platform }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  customers: `query CustomersPage($first: Int) {
  customers(first: $first) {
    edges {
      cursor
      node {
        id fullName phone email createdAt
        labels { id code name color }
        orders(first: 1) { id externalId status total placedAt }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  // The inbox: each conversation with its newest message.
  conversations: `query ConversationsPage($first: Int) {
  conversations(first: $first) {
    edges {
      cursor
      node {
        id status unreadCount lastMessageAt updatedAt
        assignee { id email }
        customer { id fullName phone }
        messages(first: 1) { edges { node { id body direction sender sentAt } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`,
  ticket: `query TicketDetail($id: ID!) {
  ticket(id: $id) {
    id title description status result source target dueAt completedAt createdAt updatedAt version
    customer { id fullName phone email }
    assignee { id email fullName }
    inCharge { id email fullName }
    branch { id code name }
    history(first: ${DETAIL_PAGE_SIZE}) {
      totalCount
      edges { cursor node { id field before after createdAt actor { id email } } }
      pageInfo { hasNextPage endCursor }
    }
    notes(first: ${DETAIL_PAGE_SIZE}) {
      totalCount
      edges { cursor node { id body createdAt author { id email } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
};

export type PageVariables = { first?: number; id?: string };
