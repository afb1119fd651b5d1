/**
 * "Real revenue" of a customer, one definition for the birthday rule and the
 * customer workspace: completed orders, plus paid payments not already
 * counted through a completed order (a payment taken by staff outside any
 * marketplace order counts too).
 */
export function realRevenueSql(customerIdColumn: string): string {
  return `(coalesce((select sum(o.total) from customer_order o
                     where o.customer_id = ${customerIdColumn} and o.status = 'COMPLETED'), 0)
         + coalesce((select sum(p.amount) from payment p
                     left join customer_order po on po.id = p.order_id
                     where p.customer_id = ${customerIdColumn} and p.status = 'PAID'
                       and (po.id is null or po.status <> 'COMPLETED')), 0))`;
}
