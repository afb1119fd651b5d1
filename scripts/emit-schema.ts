import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildCrmSchema, printCrmSchema } from '../src/schema/build-schema';

/** Writes schema.graphql from the code; the schema-drift test compares the two. */
async function main(): Promise<void> {
  const schema = await buildCrmSchema();
  const file = path.join(__dirname, '..', 'schema.graphql');
  await writeFile(file, printCrmSchema(schema));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
