import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import express from 'express';
import request from 'supertest';
import { createWebUiRouter } from '../src/http/web-ui.routes';
import * as dashboardQueries from '../web/dashboard/queries';
import { DEFAULT_QUERY } from '../web/graphiql/default-query';
import { startTestApp, type TestApp } from './support/test-app';

const schema = buildSchema(readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8'));

describe('documents the web pages send', () => {
  const documents: [string, string][] = [
    ...Object.entries(dashboardQueries),
    ['GraphiQL default query', DEFAULT_QUERY],
  ];

  it.each(documents)('%s is valid against schema.graphql', (_name, text) => {
    expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
  });
});

describe('web UI routes', () => {
  let t: TestApp;
  let production: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    production = await startTestApp({ graphiql: false });
  });
  afterAll(async () => {
    await t?.close();
    await production?.close();
  });

  /** Every script and stylesheet a page names, which must all come from this server. */
  const assetsOf = (html: string) =>
    [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map((match) => match[1]!)
      .filter((url) => url !== 'data:,');

  it.each(['/graphiql', '/dashboard/'])(
    '%s is served with only same-origin assets',
    async (url) => {
      const page = await request(t.httpUrl).get(url).set('accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.type).toBe('text/html');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      const assets = assetsOf(page.text);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        expect(asset).toMatch(/^\/assets\//);
        const response = await request(t.httpUrl).get(asset);
        expect(response.status).toBe(200);
        expect(response.headers['cache-control']).toContain('immutable');
      }
    },
  );

  it('a browser opening /graphql gets GraphiQL; GraphQL over GET still answers JSON', async () => {
    const page = await request(t.httpUrl).get('/graphql').set('accept', 'text/html,*/*;q=0.8');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="graphiql"');

    const query = await request(t.httpUrl)
      .get('/graphql')
      .query({ query: '{ __typename }' })
      .set('accept', 'application/json')
      .set('apollo-require-preflight', 'true');
    expect(query.status).toBe(200);
    expect(query.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('/dashboard redirects to /dashboard/, and deep links get the app', async () => {
    const redirect = await request(t.httpUrl).get('/dashboard');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/dashboard/');
    const deep = await request(t.httpUrl).get('/dashboard/orders');
    expect(deep.status).toBe(200);
    expect(deep.text).toContain('id="app"');
  });

  it('GraphiQL is off when configured off (production default), the dashboard stays', async () => {
    expect((await request(production.httpUrl).get('/graphiql')).status).toBe(404);
    const browser = await request(production.httpUrl).get('/graphql').set('accept', 'text/html');
    expect(browser.text).not.toContain('id="graphiql"');
    expect((await request(production.httpUrl).get('/dashboard/')).status).toBe(200);
  });
});

test('before the pages are built they answer 503 saying how to build them', async () => {
  const app = express().use(
    createWebUiRouter({ graphiql: true, distDir: path.join(__dirname, 'no-such-build') }),
  );
  for (const url of ['/dashboard/', '/graphiql']) {
    const page = await request(app).get(url);
    expect(page.status).toBe(503);
    expect(page.text).toContain('npm run build:web');
  }
});
