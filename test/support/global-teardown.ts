export default async function globalTeardown(): Promise<void> {
  await globalThis.__dropTestTemplate?.();
  await globalThis.__stopTestPostgres?.();
}
