/**
 * The operator commands' way into a running API: GraphQL over HTTP with a
 * bearer token (CRM_TOKEN, or a login with CRM_EMAIL/CRM_PASSWORD). Going
 * through the API, not the database, keeps the role checks, the job's
 * `createdBy`/`requestedBy` and the workers' platform credentials where they
 * are, works against a remote deployment, and works while `npm start` holds
 * the embedded PostgreSQL (which a second process cannot open).
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { CliConfig } from '../config';

type GraphQLError = { message: string; extensions?: { code?: string } };

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ApiClient = {
  apiUrl: string;
  /** The data of one operation; GraphQL errors are thrown as ApiError with their code. */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /**
   * Streams `body` to `path`; resolves with the response's status and headers as
   * soon as they arrive (the upload may still be running), and its body text later.
   */
  upload(
    path: string,
    body: Readable,
    contentType: string,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: Promise<string> }>;
};

export async function connectApi(config: CliConfig): Promise<ApiClient> {
  const { apiUrl } = config;
  const post = async (token: string | undefined, query: string, variables = {}) => {
    let response: Response;
    try {
      response = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw unreachable(apiUrl, error);
    }
    const body = (await response.json().catch(() => null)) as {
      data?: unknown;
      errors?: GraphQLError[];
    } | null;
    if (!body) throw new ApiError(`${apiUrl}/graphql answered HTTP ${response.status}`);
    const [first] = body.errors ?? [];
    if (first) throw new ApiError(first.message, first.extensions?.code);
    return body.data;
  };

  let token: string;
  if ('token' in config.credentials) {
    token = config.credentials.token;
  } else {
    const data = (await post(
      undefined,
      'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      config.credentials,
    )) as { login: { token: string } };
    token = data.login.token;
  }

  return {
    apiUrl,
    graphql: async <T>(query: string, variables?: Record<string, unknown>) =>
      (await post(token, query, variables)) as T,
    upload: (path, body, contentType) =>
      new Promise((resolve, reject) => {
        const url = new URL(path, `${apiUrl}/`);
        const request = (url.protocol === 'https:' ? https : http).request(
          url,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
          },
          (response) => {
            response.setEncoding('utf8');
            const text = new Promise<string>((done, fail) => {
              let received = '';
              response.on('data', (chunk: string) => (received += chunk));
              response.on('end', () => done(received));
              response.on('error', fail);
            });
            resolve({ status: response.statusCode ?? 0, headers: response.headers, text });
          },
        );
        request.on('error', (error) => reject(unreachable(apiUrl, error)));
        body.on('error', (error) => request.destroy(error));
        body.pipe(request);
      }),
  };
}

function unreachable(apiUrl: string, error: unknown): ApiError {
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(
    `cannot reach the API at ${apiUrl} (${reason}); is it running? Set API_URL to its address`,
  );
}

/**
 * Calls `read` every `intervalMs` until `finished` says so; returns the last
 * value. `stop` ends the wait early (the caller learned the end another way).
 */
export async function pollUntil<T>(options: {
  read: () => Promise<T>;
  finished: (value: T) => boolean;
  onValue: (value: T) => void;
  intervalMs: number;
  stop?: Promise<unknown>;
}): Promise<T> {
  let stopped = false;
  // One listener on `stop` for the whole poll, not a Promise.race per wait:
  // each race would leave a reaction on the pending `stop` until it settles.
  let wake: (() => void) | undefined;
  const onStop = () => {
    stopped = true;
    wake?.();
  };
  void options.stop?.then(onStop, onStop);
  for (;;) {
    // A read that starts after the stop sees the final state: that one is the last.
    const last = stopped;
    const value = await options.read();
    options.onValue(value);
    if (last || options.finished(value)) return value;
    if (stopped) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wake = undefined;
  }
}

/** The one way the commands end on an error: its message on stderr, exit code 1. */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
