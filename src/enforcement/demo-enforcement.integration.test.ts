// The demo cases show every clock state on the dashboard, and loading them twice changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoAccounts } from '../accounts/demo-accounts.ts';
import { seedDemoCertification } from '../certification/demo-certification.ts';
import { testStorage } from '../certification/testing.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { seedDemoTraining } from '../training/demo-training.ts';
import { listCases } from './case-queries.ts';
import { seedDemoEnforcement } from './demo-enforcement.ts';
import { enforcementCases } from './enforcement.schema.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
  await seedDemoAccounts(database.db);
  await seedDemoTraining(database.db);
  await seedDemoCertification(database.db, { storage: testStorage() });
  await seedDemoEnforcement(database.db, { storage: testStorage() });
});
after(() => database.close());

test('the demo cases are open and on time, overdue, and decided; a second load adds nothing', async () => {
  const admin = { actor: { kind: 'user' as const, userId: '00000000-0000-4000-8000-000000000001', roles: [{ role: 'system_admin' as const, countyFips: null }] } };
  const { cases } = await listCases(database.db, 'all', admin);
  assert.equal(cases.length, 3);
  assert.deepEqual(cases.map((c) => c.acknowledgement.state).sort(), ['met', 'met', 'overdue']);
  assert.deepEqual(cases.map((c) => c.status).sort(), ['decided', 'open', 'open']);
  await seedDemoEnforcement(database.db, { storage: testStorage() });
  assert.equal((await database.db.select().from(enforcementCases)).length, 3);
});
