import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildCrmSchema, printCrmSchema } from '../src/schema/build-schema';

test('schema.graphql is what the code generates (run `npm run codegen` after an API change)', async () => {
  const committed = await readFile(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
  expect(printCrmSchema(await buildCrmSchema())).toBe(committed);
});
