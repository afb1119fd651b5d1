export const LOGIN = /* GraphQL */ `
  mutation DashboardLogin($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      user {
        fullName
        role
      }
    }
  }
`;

export const ME = /* GraphQL */ `
  query DashboardMe {
    me {
      fullName
      role
    }
  }
`;

export const ORDER_BOARD = /* GraphQL */ `
  query DashboardOrderBoard {
    orderStatusBoard {
      platform
      status
      orders
    }
  }
`;

const ORDER_EVENT_FIELDS = /* GraphQL */ `
  fragment DashboardOrderEvent on OrderEvent {
    id
    cursor
    platform
    status
    eventTime
    receivedAt
    order {
      externalId
      channel {
        name
      }
    }
  }
`;

export const RECENT_ORDER_EVENTS = /* GraphQL */ `
  query DashboardRecentOrderEvents($first: Int!) {
    recentOrderEvents(first: $first) {
      ...DashboardOrderEvent
    }
  }
  ${ORDER_EVENT_FIELDS}
`;

export const ORDER_EVENTS = /* GraphQL */ `
  subscription DashboardOrderEvents($after: String) {
    orderEvents(after: $after) {
      ...DashboardOrderEvent
    }
  }
  ${ORDER_EVENT_FIELDS}
`;

const TICKET_PAGE_FIELDS = /* GraphQL */ `
  fragment DashboardTicketPage on TicketConnection {
    totalCount
    edges {
      node {
        id
        title
        dueAt
        status
        assignee {
          fullName
        }
      }
    }
  }
`;

export const TICKETS = /* GraphQL */ `
  query DashboardTickets($dueToday: TicketFilter!, $missed: TicketFilter!) {
    dueToday: tickets(filter: $dueToday, first: 10, sort: { field: DUE_AT, direction: ASC }) {
      ...DashboardTicketPage
    }
    missed: tickets(filter: $missed, first: 10, sort: { field: DUE_AT, direction: ASC }) {
      ...DashboardTicketPage
    }
  }
  ${TICKET_PAGE_FIELDS}
`;

export const TICKET_CHANGED = /* GraphQL */ `
  subscription DashboardTicketChanged {
    ticketChanged {
      action
      ticket {
        id
      }
    }
  }
`;

export const CHANNELS = /* GraphQL */ `
  query DashboardChannels {
    channels {
      channel {
        id
        name
        platform
        status
      }
      tokenExpiresInDays
      lastPushAt
      pushesLastHour
      failuresLastHour
      deadLetters
    }
  }
`;

export const CHANNEL_ALERT = /* GraphQL */ `
  subscription DashboardChannelAlert {
    channelAlert {
      __typename
    }
  }
`;

export const BOT_REPORT = /* GraphQL */ `
  query DashboardBotReport($from: String!, $to: String!) {
    conversationReport(from: $from, to: $to) {
      total {
        conversations
        handedOff
        handoffRate
      }
      botAnswers {
        step
        answers
      }
    }
  }
`;

export const ORDER_VOLUME = /* GraphQL */ `
  query DashboardOrderVolume {
    orderVolume(hours: 24) {
      from
      to
      total
      byPlatform {
        platform
        orders
      }
      buckets {
        start
        orders
        byPlatform {
          platform
          orders
        }
      }
    }
  }
`;
