import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Order } from './order.entity';

@ObjectType()
@Entity({ tableName: 'order_item' })
export class OrderItem {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Order, ref: true, index: true, deleteRule: 'cascade' })
  order!: Ref<Order>;

  @Field()
  @Property({ type: 'text' })
  sku!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  quantity!: number;

  @Field(() => GraphQLSafeInt)
  @Property({ type: new BigIntType('number') })
  unitPrice!: number;

  @Field(() => GraphQLSafeInt)
  @Property({ type: new BigIntType('number') })
  total!: number;
}
