import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../services/shared/keyset';
import type { Row } from '../services/shared/rows';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/**
 * A Relay connection type for `node`, whose edges hold rows (rows.ts);
 * totalCount runs its COUNT only when asked for.
 */
export function ConnectionType<T extends object>(node: ClassType<T>) {
  @ObjectType(`${node.name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: Row<T>;
  }

  // Never referenced itself: only the named subclasses reach the schema.
  @ObjectType()
  abstract class Connection {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    private readonly countTotal: () => Promise<number>;

    constructor(page: Page<Row<T>>) {
      this.edges = page.edges;
      this.pageInfo = page.pageInfo;
      this.countTotal = page.countTotal;
    }

    @Field(() => Int, { description: 'Rows matching the filter, across all pages.' })
    totalCount(): Promise<number> {
      return this.countTotal();
    }
  }
  return Connection;
}
