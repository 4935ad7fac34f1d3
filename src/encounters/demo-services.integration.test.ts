// The demo services load through the real use cases, once: the organization, its people, members and services in
// each state (billable, a failing draft, a group, a lapsed member's), and a second run adds nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { seedDemoAccounts } from '../accounts/demo-accounts.ts';
import { seedDemoCertification } from '../certification/demo-certification.ts';
import { testStorage } from '../certification/testing.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { testFieldCipher } from '../lib/field-crypto.testing.ts';
import { seedDemoTraining } from '../training/demo-training.ts';
import { seedDemoServices } from './demo-services.ts';
import { claims } from '../claims/claims.schema.ts';
import { encounters } from './encounters.schema.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
  await seedDemoAccounts(database.db);
  await seedDemoTraining(database.db);
  await seedDemoCertification(database.db, { storage: testStorage() });
});
after(() => database.close());

test('the demo organization documents services in every state, once', async () => {
  await seedDemoServices(database.db, { fieldCipher: testFieldCipher() });
  const rows = await database.db.select().from(encounters);
  assert.equal(rows.length, 4);
  assert.equal(rows.filter((r) => r.status === 'billable').length, 1);
  const codes = rows.flatMap((r) => r.failures.map((f) => f.code)).sort();
  assert.ok(codes.includes('care_plan.missing') && codes.includes('telehealth.consent'), codes.join(' '));
  assert.ok(codes.includes('member.not_eligible'), codes.join(' '));
  const [batch] = await database.db.select().from(claims);
  assert.equal(batch?.state, 'ready', 'the demo batch has the billable service as a ready claim');
  await seedDemoServices(database.db, { fieldCipher: testFieldCipher() });
  assert.equal((await database.db.select().from(encounters)).length, 4);
});
