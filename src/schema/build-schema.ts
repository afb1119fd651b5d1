import 'reflect-metadata';
import './enums';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { createInProcessEventBus } from '../realtime/event-bus';
import { resolvers } from '../resolvers';
import { applyInputPolicy } from './input-policy';

/**
 * Subscriptions bring their own `subscribe`; the bus is only type-graphql's
 * required default. Every argument and input field passes the input policy.
 */
export async function buildCrmSchema(
  pubSub: PubSub = createInProcessEventBus(),
): Promise<GraphQLSchema> {
  return applyInputPolicy(
    await buildSchema({ resolvers, pubSub, validate: false, emitSchemaFile: false }),
  );
}

/** The SDL committed as schema.graphql: sorted, so a diff shows only real changes. */
export function printCrmSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
