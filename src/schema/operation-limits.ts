import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getNamedType,
  getOperationAST,
  isIntrospectionType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../services/shared/keyset';

/**
 * The limits every GraphQL operation meets before it runs, over HTTP and
 * WebSocket alike: this module is the one place they are defined. Parsing
 * stops at MAX_TOKENS (before the document is built), validation refuses
 * depth, aliases, directives and (unless enabled) introspection, and the
 * cost is computed once the variables are known, so `first: $n` counts `n`.
 */
const MAX_TOKENS = 5_000;
/** A real document is a few kilobytes; this bounds what the lexer reads before counting tokens. */
const MAX_SOURCE_LENGTH = 100_000;
const MAX_COST = 20_000;
const MAX_ALIASES = 30;
const MAX_DIRECTIVES = 50;

/** graphql-armor's cost model: a leaf 1, an object 2 plus 1.5 x its children, times its page size. */
const SCALAR_COST = 1;
const OBJECT_COST = 2;
const DEPTH_COST_FACTOR = 1.5;

export type OperationLimits = {
  parseOptions: ParseOptions;
  /** Run after graphql-js's own rules (Apollo adds those itself). */
  validationRules: ValidationRule[];
  /** graphql-js's rules and these, for a transport that validates by itself. */
  allValidationRules: ValidationRule[];
  /** A refusal when the operation costs too much with these variables (or they do not coerce). */
  costError: (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ) => GraphQLError | undefined;
};

/** The rows a field returns per parent: its `first`/`last`, or the default page when it pages and was not told. */
function pageSizeOf(
  fieldArgs: readonly GraphQLArgument[],
  args: Record<string, unknown>,
): number | undefined {
  for (const name of ['first', 'last']) {
    if (!fieldArgs.some((arg) => arg.name === name)) continue;
    const value = args[name];
    return typeof value === 'number' && value >= 0 ? value : DEFAULT_PAGE_SIZE;
  }
  return undefined;
}

const estimateCost: ComplexityEstimator = ({ field, node, args, childComplexity }) => {
  if (field.name.startsWith('__') || isIntrospectionType(getNamedType(field.type))) return 0;
  if (!node.selectionSet) return SCALAR_COST;
  const pageSize = pageSizeOf(field.args, args);
  return (OBJECT_COST + DEPTH_COST_FACTOR * childComplexity) * (pageSize ?? 1);
};

const limitError = (message: string, code: ApolloServerErrorCode | 'BAD_USER_INPUT') =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

export function createOperationLimits(options: {
  maxDepth: number;
  introspection: boolean;
}): OperationLimits {
  const armor = new ApolloArmor({
    maxDepth: { n: options.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: MAX_ALIASES },
    maxDirectives: { n: MAX_DIRECTIVES },
    // Counted here instead: tokens by graphql's parser, cost with variables, suggestions by the error formatter.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  const validationRules = [
    ...armor.protect().validationRules,
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  return {
    parseOptions: { maxTokens: MAX_TOKENS, maxSourceLength: MAX_SOURCE_LENGTH },
    validationRules,
    allValidationRules: [...specifiedRules, ...validationRules],
    costError: (schema, document, operation, variables) => {
      // Only the chosen operation and the fragments: another operation in the document does not run.
      const query: DocumentNode = {
        kind: Kind.DOCUMENT,
        definitions: [
          operation,
          ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION),
        ],
      };
      let cost: number;
      try {
        cost = getComplexity({ schema, query, variables, estimators: [estimateCost] });
      } catch (error) {
        if (error instanceof GraphQLError) return limitError(error.message, 'BAD_USER_INPUT');
        throw error;
      }
      return cost > MAX_COST
        ? limitError(
            `Query cost limit of ${MAX_COST} exceeded, found ${Math.round(cost)} (page sizes multiply: ask for fewer rows per level)`,
            ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
          )
        : undefined;
    },
  };
}

/** Apollo runs the parse options and rules itself; the cost waits for the resolved operation. */
export function operationCostPlugin<C extends object>(
  limits: OperationLimits,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // Apollo refuses a request without a resolvable operation before this hook.
          if (!operation) return;
          const error = limits.costError(schema, document, operation, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}

export type PreparedOperation = {
  document: DocumentNode;
  operation: OperationDefinitionNode;
};

/**
 * The part of `prepareOperation` that depends on the document alone (parse
 * within the token limit, validation, the operation picked by name), so a
 * transport may keep its result for equal documents; the cost, which reads
 * the variables, is `limits.costError`.
 */
export function prepareDocument(
  schema: GraphQLSchema,
  limits: OperationLimits,
  query: string,
  operationName: string | null | undefined,
): PreparedOperation | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, limits.parseOptions);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return [limitError(error.message, ApolloServerErrorCode.GRAPHQL_PARSE_FAILED)];
  }
  const invalid = validate(schema, document, limits.allValidationRules);
  if (invalid.length > 0) {
    return invalid.map(
      (error) =>
        new GraphQLError(error.message, {
          nodes: error.nodes,
          extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED },
        }),
    );
  }
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) {
    return [
      limitError(
        operationName
          ? `Unknown operation named "${operationName}".`
          : 'Must provide operation name if query contains multiple operations.',
        ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
      ),
    ];
  }
  return { document, operation };
}

/**
 * What Apollo does for an HTTP request before execution, for a graphql-ws
 * subscribe message: parse within the token limit, validate with the same
 * rules, pick the operation and check its cost. Every refusal is an error
 * for that operation, never a thrown one (which would close the socket).
 */
export function prepareOperation(
  schema: GraphQLSchema,
  limits: OperationLimits,
  payload: {
    query: string;
    operationName?: string | null;
    variables?: Record<string, unknown> | null;
  },
): PreparedOperation | GraphQLError[] {
  const prepared = prepareDocument(schema, limits, payload.query, payload.operationName);
  if (Array.isArray(prepared)) return prepared;
  const { document, operation } = prepared;
  const costly = limits.costError(schema, document, operation, payload.variables ?? undefined);
  return costly ? [costly] : prepared;
}
