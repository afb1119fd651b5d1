import 'reflect-metadata';
import './enums';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { resolvers } from '../resolvers';

export function buildCrmSchema(pubSub?: PubSub): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, pubSub, validate: false, emitSchemaFile: false });
}

/** The SDL committed as schema.graphql: sorted, so a diff shows only real changes. */
export function printCrmSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
