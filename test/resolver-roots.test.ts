import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { buildCrmSchema } from '../src/schema/build-schema';
import { entities } from '../src/entities';

/**
 * type-graphql turns a `@Root()` typed as a class into a new instance of that
 * class on every call (copying the row onto it). For an entity that runs
 * MikroORM's constructor and reference setters once per field per row of
 * every list page, so field resolvers take their parent as `Row<Entity>`.
 */
it('no field resolver converts its parent row into an entity instance', async () => {
  await buildCrmSchema();
  const entityClasses = new Set<unknown>(entities);
  const converting = getMetadataStorage()
    .params.filter((param) => param.kind === 'root' && param.getType)
    .filter((param) => entityClasses.has((param as { getType: () => unknown }).getType()))
    .map((param) => `${param.target.name}.${param.methodName}`);
  expect(converting).toEqual([]);
});
