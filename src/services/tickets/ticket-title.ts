import type { Ticket } from '../../entities';

/**
 * A ticket's title as people read it. A title the system wrote after the
 * customer (Ticket.titleNamesCustomer) is stored without the name and shown
 * with the customer's current one: renamed, merged or erased customers read
 * right, and no personal data is copied into the ticket.
 */
export const CUSTOMER_NAME_SEPARATOR = ': ';

export function ticketTitle(
  ticket: Pick<Ticket, 'title' | 'titleNamesCustomer'>,
  customerName: string | undefined,
): string {
  return ticket.titleNamesCustomer && customerName
    ? `${ticket.title}${CUSTOMER_NAME_SEPARATOR}${customerName}`
    : ticket.title;
}

/** The same in SQL, for the ticket row aliased `alias` (exports build lines in PostgreSQL). */
export function ticketTitleSql(alias: string): string {
  return `case when ${alias}."title_names_customer" then ${alias}."title" || coalesce('${CUSTOMER_NAME_SEPARATOR}' || (select c."full_name" from "customer" c where c."id" = ${alias}."customer_id"), '') else ${alias}."title" end`;
}
