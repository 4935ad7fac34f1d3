// The claiming benchmark's data, checked by the platform itself at small scale: 600 services in 3 counties are
// loaded set-based, then every organization's batch is built by the real use case (every services rule re-checked
// as of the date of service, every claim edit). Every claim is ready except those of the members deliberately left
// without eligibility, which are held by member.not_eligible alone — and the loader's counts are the build's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { systemContext } from '../src/access/context.ts';
import { createPerson } from '../src/accounts/testing.ts';
import { findBeneficiaryByCin } from '../src/beneficiaries/beneficiaries.service.ts';
import { recordedEligibility } from '../src/beneficiaries/eligibility.service.ts';
import { buildClaimBatch } from '../src/claims/build-claims.ts';
import { claimLines, claims } from '../src/claims/claims.schema.ts';
import { participatesOn } from '../src/counties/counties.service.ts';
import { recordParticipationChange } from '../src/counties/record-participation.ts';
import { queryRows } from '../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/testing.ts';
import { addDays } from '../src/lib/dates.ts';
import { benchFieldCipher, loadClaimsScale, type ClaimsScale } from './claims-data.ts';

const FROM = '2026-07-01';
const TO = '2026-09-30';
const BUILD_ON = '2026-10-15';

let database: TestDatabase;
const db = () => database.db;
let scale: ClaimsScale;

before(async () => {
  database = await createTestDatabase();
  scale = await loadClaimsScale(database, { encounters: 600, counties: 3, from: FROM, to: TO, seed: 7 });
});
after(() => database.close());

/** Build every organization's batch over the period; every held claim must be held by member.not_eligible alone. */
async function buildAll(database: TestDatabase, scale: ClaimsScale, buildOn: string) {
  let ready = 0;
  let held = 0;
  let lines = 0;
  const unexpected: string[] = [];
  for (const o of scale.organizations) {
    const built = await buildClaimBatch(database.db, recordedEligibility, { organizationId: o.id, from: scale.from, to: scale.to }, systemContext('bench-test', buildOn));
    const rows = await database.db.select().from(claims).where(eq(claims.batchId, built.batch.id));
    const [{ n }] = (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${claimLines} l join ${claims} c on c.id = l.claim_id where c.batch_id = ${built.batch.id}`)) as [{ n: number }];
    lines += n;
    for (const c of rows.filter((r) => r.state === 'held')) {
      if (c.edits.length === 0 || c.edits.some((e) => e.code !== 'service.member.not_eligible')) unexpected.push(`${o.name} ${c.controlNumber} ${c.serviceDate}: ${JSON.stringify(c.edits)}`);
    }
    assert.equal(built.ready, o.claims - o.heldClaims, `${o.name}: ready claims`);
    assert.equal(built.held, o.heldClaims, `${o.name}: held claims`);
    ready += built.ready;
    held += built.held;
  }
  assert.deepEqual(unexpected, [], `claims held unexpectedly:\n${unexpected.join('\n')}`);
  assert.deepEqual({ ready, held, lines }, { ready: scale.expected.readyClaims, held: scale.expected.heldClaims, lines: scale.expected.lines });
}

describe('claims benchmark data', () => {
  test('what was loaded is what the loader reports', async () => {
    const { counts, expected } = scale;
    assert.equal(counts.organizations, 3);
    assert.equal(counts.encounters, 600);
    assert.equal(
      scale.organizations.reduce((s, o) => s + o.encounters, 0),
      600,
    );
    const [row] = await queryRows<{ services: number; billable: number; lines: number; claims: number; members: number; overlaps: number }>(
      db(),
      sql`select (select count(*)::int from encounters) as services,
                 (select count(*)::int from encounters where status = 'billable') as billable,
                 (select count(*)::int from encounter_participants) as lines,
                 (select count(distinct (p.beneficiary_id, e.service_date, e.delivery_system))::int from encounter_participants p join encounters e on e.id = p.encounter_id) as claims,
                 (select count(*)::int from beneficiaries) as members,
                 (select count(*)::int from encounters a join encounters b on a.peer_id = b.peer_id and a.service_date = b.service_date and a.id < b.id
                   where a.start_time < b.end_time and b.start_time < a.end_time) as overlaps`,
    );
    assert.deepEqual(row, { services: 600, billable: 600, lines: expected.lines, claims: expected.claims, members: counts.members, overlaps: 0 });
    assert.ok(expected.lines > 600 && expected.lines < 660, `lines ${expected.lines} stay close to the services`);
    assert.ok(expected.heldClaims > 0, 'some claims are held on purpose');
    assert.equal(counts.ineligibleMembers, 3, 'one lapsed member per organization at this size');
    for (const o of scale.organizations) {
      for (const on of [FROM, addDays(FROM, 45), TO]) assert.equal(await participatesOn(db(), o.countyFips, 'SMHS', on), true, `${o.countyName} takes part in SMHS on ${on}`);
    }
  });

  test('a member is found by CIN and read back as the app encrypts them', async () => {
    const org = scale.organizations[0]!;
    const [first] = await queryRows<{ cin: string }>(db(), sql`select cin_encrypted as cin from beneficiaries where organization_id = ${org.id} limit 1`);
    const cin = benchFieldCipher().decrypt('beneficiaries.cin', first!.cin);
    const member = await findBeneficiaryByCin(db(), benchFieldCipher(), org.id, cin, systemContext('bench-test', BUILD_ON));
    assert.equal(member?.cin, cin);
    assert.match(member!.birthDate, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(member!.street && member!.city && /^\d{5}$/.test(member!.zip ?? ''));
  });

  test('every claim built over the period is ready, except the lapsed members’ ones, held by member.not_eligible alone', () => buildAll(database, scale, BUILD_ON));
});

describe('claims benchmark data in every county, over the February 2025 participation page and a county that stops', () => {
  let all: TestDatabase;
  let loaded: ClaimsScale;
  before(async () => {
    all = await createTestDatabase();
    // A county that stops taking part inside the period, as an analyst records it: the loader corrects it.
    const analyst = await createPerson(all.db, { roles: [{ role: 'dhcs_analyst', countyFips: null }] });
    await recordParticipationChange(all.db, { fips: '06001', deliverySystem: 'SMHS', participating: false, effectiveOn: '2025-03-03', reason: 'Test: Alameda stops' }, { actor: { kind: 'user', userId: analyst.id, roles: [{ role: 'dhcs_analyst', countyFips: null }] } });
    // With every foreign key checked, so the shape of the rows is proved against the schema as well.
    loaded = await loadClaimsScale(all, { encounters: 1200, counties: 58, from: '2025-01-06', to: '2025-03-31', seed: 11, foreignKeyChecks: true });
  });
  after(() => all.close());

  test('counties the page leaves out of SMHS take part throughout the period, and every claim is ready but the lapsed members’', async () => {
    assert.equal(loaded.organizations.length, 58);
    assert.equal(loaded.foreignKeyChecks, true);
    // Nothing is recorded before the page (2025-02-01), so all 58 open on the period's first day (the 7 the page
    // leaves out of SMHS included); Alameda's stop gets a correction on its date.
    assert.equal(loaded.counts.participationChanges, 58 + 1);
    for (const o of loaded.organizations) {
      for (const on of ['2025-01-06', '2025-02-01', '2025-03-03', '2025-03-31']) assert.equal(await participatesOn(all.db, o.countyFips, 'SMHS', on), true, `${o.countyName} on ${on}`);
    }
    await buildAll(all, loaded, '2025-04-15');
  });
});
