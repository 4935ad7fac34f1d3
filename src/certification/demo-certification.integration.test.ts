// The demo data shows every application status and every certification status that can exist today, and loading
// it twice changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { seedDemoAccounts } from '../accounts/demo-accounts.ts';
import { queryRows } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { seedDemoTraining } from '../training/demo-training.ts';
import { seedDemoCertification } from './demo-certification.ts';
import { testStorage } from './testing.ts';
import { APPLICATION_STATUSES } from './vocabulary.ts';

describe('demo certification data', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
    await seedDemoAccounts(database.db);
    await seedDemoTraining(database.db);
    await seedDemoCertification(database.db, { storage: testStorage() });
  });
  after(() => database.close());

  test('applications in every status', async () => {
    const rows = await queryRows<{ status: string }>(database.db, sql`select distinct status from applications`);
    const present = new Set(rows.map((r) => r.status));
    assert.deepEqual(APPLICATION_STATUSES.filter((s) => !present.has(s)), []);
  });

  test('certifications active, expired, suspended and revoked; the demo peer can renew today', async () => {
    const rows = await queryRows<{ status: string }>(database.db, sql`select distinct status from certifications`);
    assert.deepEqual(rows.map((r) => r.status).sort(), ['active', 'expired', 'revoked', 'suspended']);
    const [peer] = await queryRows<{ expires_on: string; ce: string }>(
      database.db,
      sql`select c.expires_on::text, (select coalesce(sum(hours), 0)::text from training_completions t where t.peer_id = p.id and t.training_type = 'ce') as ce
          from certifications c join peers p on p.id = c.peer_id where p.email = 'peer@demo.example.org'`,
    );
    const today = todayInCalifornia();
    assert.ok(peer && peer.expires_on > today && addDays(peer.expires_on, -90) <= today, `in the renewal window (expires ${peer?.expires_on})`);
    assert.ok(Number(peer.ce) >= 20);
  });

  test('loading it again adds nothing', async () => {
    const count = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from applications`))[0]?.n;
    const before = await count();
    await seedDemoCertification(database.db, { storage: testStorage() });
    assert.equal(await count(), before);
  });
});
