import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** No Docker engine runs here: the compose file is checked as the data compose reads. */
type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  env_file?: (string | { path: string; required?: boolean })[] | string;
  ports?: unknown[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
};

const root = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const { api, postgres, redis } = compose.services as Record<'api' | 'postgres' | 'redis', Service>;

test('compose runs PostgreSQL, Redis and the API built from this repository', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'redis']);
  expect(api.build).toBe('.');
  expect(api.environment).toMatchObject({
    NODE_ENV: 'production',
    DATABASE_URL: expect.stringMatching(
      /^postgres:\/\/crm:\$\{POSTGRES_PASSWORD\}@postgres:5432\/crm$/,
    ),
    REDIS_URL: 'redis://redis:6379',
  });
});

test('the API takes JWT_SECRET from .env (required, never written in the file) and .env is not committed', () => {
  const envFiles = Array.isArray(api.env_file) ? api.env_file : [api.env_file];
  expect(envFiles).toContainEqual({ path: '.env', required: true });
  // Interpolated from .env with `:?`: compose refuses to start while it is unset.
  expect(api.environment?.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?[^}]+\}$/);
  expect(postgres.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
  const example = read('.env.example');
  for (const name of ['JWT_SECRET', 'POSTGRES_PASSWORD'])
    expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
  expect(read('.gitignore').split('\n')).toContain('.env');
});

test('only the API publishes a port on the host', () => {
  expect(api.ports).toEqual(['4000:4000']);
  expect(postgres.ports).toBeUndefined();
  expect(redis.ports).toBeUndefined();
});

test('every service has a healthcheck and the API waits for healthy PostgreSQL and Redis', () => {
  for (const service of [api, postgres, redis]) expect(service.healthcheck?.test).toBeDefined();
  expect(JSON.stringify(api.healthcheck?.test)).toContain('/readyz');
  expect(api.depends_on).toEqual({
    postgres: { condition: 'service_healthy' },
    redis: { condition: 'service_healthy' },
  });
});

test('the image installs from the lockfile and runs the compiled server; the first-admin command is documented', () => {
  const dockerfile = read('Dockerfile');
  expect(dockerfile).toMatch(/COPY package\.json package-lock\.json/);
  expect(dockerfile).toMatch(/RUN npm ci\b/);
  expect(dockerfile).not.toMatch(/npm install\b/);
  expect(dockerfile).toMatch(/CMD \["node", "dist\/index\.js"\]/);
  expect(read('docs/docker.md')).toContain(
    'docker compose exec api node dist/cli/user-create.js --email admin@example.com --role ADMIN --branch HQ',
  );
  expect(read('README.md')).toContain('cp .env.example .env');
});
