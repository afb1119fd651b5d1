import 'reflect-metadata';

// MikroORM keeps decorator metadata on a global that outlives a test file's
// realm; a later file would read the earlier realm's Maps and fail
// `instanceof Map`. Each file starts with an empty store and fills it again
// when it imports the entities.
delete (globalThis as Record<string, unknown>)['mikro-orm-metadata'];
