import { Entity, ManyToOne, PrimaryKeyProp, type Ref } from '@mikro-orm/core';
import { CustomerLabel } from './customer-label.entity';
import { Customer } from './customer.entity';

@Entity({ tableName: 'customer_label_link' })
export class CustomerLabelLink {
  [PrimaryKeyProp]?: ['customer', 'customerLabel'];

  @ManyToOne({ entity: () => Customer, ref: true, primary: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @ManyToOne({
    entity: () => CustomerLabel,
    ref: true,
    primary: true,
    index: true,
    deleteRule: 'cascade',
  })
  customerLabel!: Ref<CustomerLabel>;
}
