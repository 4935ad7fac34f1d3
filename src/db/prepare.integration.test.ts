// Preparing a database (migrations + reference data) is safe to repeat and, on PostgreSQL, to run from
// several app instances at once: exactly one copy of the reference data results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counties, participationChanges, participationImports } from '../counties/counties.schema.ts';
import { openDb } from './client.ts';
import { prepareDatabase } from './prepare.ts';
import { createTestDatabase } from './testing.ts';


test('three instances preparing one database at once leave exactly one copy of the reference data', async () => {
  const database = await createTestDatabase({ prepare: false });
  // On PostgreSQL each instance has its own pool; the embedded database allows one process, so it repeats instead.
  const instances = database.url ? await Promise.all([1, 2, 3].map(() => openDb({ databaseUrl: database.url }))) : [database, database, database];
  try {
    if (database.url) await Promise.all(instances.map((instance) => prepareDatabase(instance)));
    else for (const instance of instances) await prepareDatabase(instance);

    assert.equal(await database.db.$count(counties), 58);
    assert.equal(await database.db.$count(participationImports), 1);
    assert.equal(await database.db.$count(participationChanges), 95, 'SMHS 51 + DMC-ODS 33 + DMC State Plan 11');
  } finally {
    if (database.url) await Promise.all(instances.map((instance) => instance.close()));
    await database.close();
  }
});
