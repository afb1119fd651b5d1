/** A GraphQL error answer, with the server's stable `extensions.code`. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

type GraphQLResponse<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

export const GRAPHQL_HTTP_URL = new URL('/graphql', window.location.href).toString();
export const GRAPHQL_WS_URL = GRAPHQL_HTTP_URL.replace(/^http/, 'ws');

export async function graphqlRequest<T>(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string | null,
): Promise<T> {
  const response = await fetch(GRAPHQL_HTTP_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  const first = body.errors?.[0];
  if (first) {
    throw new GraphQLRequestError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  }
  if (!body.data) throw new GraphQLRequestError('empty answer', 'INTERNAL_SERVER_ERROR');
  return body.data;
}
