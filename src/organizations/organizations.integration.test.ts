// Provider organizations and the people at work in them: an Alameda county administrator records a contracted
// organization, its contract and a peer's employment; NPIs must pass their check digit; periods do not overlap; a
// Kern administrator cannot reach it; a supervision assignment starts only while the peer works there, and it makes
// the supervisor ineligible to investigate a complaint about that peer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { UseCaseContext } from '../access/context.ts';
import type { RoleGrant } from '../access/roles.ts';
import { createPerson } from '../accounts/testing.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import { testStorage } from '../certification/testing.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing.ts';
import { fileComplaint } from '../enforcement/file-complaint.ts';
import { assignCase } from '../enforcement/work-case.ts';
import { addContract, assignSupervision, createOrganization, employPeer, recordSupervisor, supervisesOn } from './organizations.service.ts';

let database: TestDatabase;
const db = () => database.db;
const ALAMEDA = '06001';
const KERN = '06029';

async function actingAs(roles: RoleGrant[], today = '2026-03-02'): Promise<UseCaseContext & { userId: string }> {
  const person = await createPerson(db(), { roles });
  return { actor: { kind: 'user', userId: person.id, roles }, today, userId: person.id };
}

const ORG = { name: 'Bay Recovery Partners', kind: 'contracted', npi: '1234567893', taxId: '94-1234567', countyFips: ALAMEDA, street: '100 Main St', city: 'Oakland', zip: '94607' };

before(async () => {
  database = await createTestDatabase();
  await certifyPeer(db(), { first: 'Wren', last: 'Worker', number: 'PSS-730001', issuedOn: '2025-01-01', expiresOn: '2027-01-01' });
});
after(() => database.close());

describe('organizations', () => {
  test('a county administrator records an organization of their county; the NPI must pass its check digit; Kern cannot reach it', async () => {
    const alameda = await actingAs([{ role: 'county_admin', countyFips: ALAMEDA }]);
    await assert.rejects(createOrganization(db(), { ...ORG, npi: '1234567890' }, alameda), /check digit/);
    await assert.rejects(createOrganization(db(), { ...ORG, taxId: '12345' }, alameda), /nine digits/);
    await assert.rejects(createOrganization(db(), { ...ORG, countyFips: KERN }, alameda), (err: { status: number }) => err.status === 403);
    const org = await createOrganization(db(), ORG, alameda);
    assert.equal(org.taxId, '941234567');
    await assert.rejects(createOrganization(db(), ORG, alameda), /already recorded/);
    assert.equal((await searchAudit(db(), { action: 'organization.create', entityId: org.id })).rows.length, 1);

    const kern = await actingAs([{ role: 'county_admin', countyFips: KERN }]);
    await assert.rejects(addContract(db(), { organizationId: org.id, deliverySystem: 'SMHS', startsOn: '2026-01-01' }, kern), (err: { status: number }) => err.status === 403);
    await addContract(db(), { organizationId: org.id, deliverySystem: 'SMHS', startsOn: '2026-01-01', endsOn: '2027-01-01' }, alameda);
    await assert.rejects(addContract(db(), { organizationId: org.id, deliverySystem: 'SMHS', startsOn: '2026-06-01' }, alameda), /already has a SMHS contract/);
    await addContract(db(), { organizationId: org.id, deliverySystem: 'SMHS', startsOn: '2027-01-01' }, alameda);
    await addContract(db(), { organizationId: org.id, deliverySystem: 'DMC_ODS', startsOn: '2026-06-01' }, alameda);
  });

  test('employment, supervision while employed, and the supervisor cannot investigate the peer', async () => {
    const admin = await actingAs([{ role: 'county_admin', countyFips: ALAMEDA }]);
    const countyStaff = await actingAs([{ role: 'provider_staff', countyFips: ALAMEDA }]);
    await assert.rejects(createOrganization(db(), { ...ORG, name: 'Eastbay Peers', npi: '1987654328', taxId: '941234568' }, countyStaff), (err: { status: number }) => err.status === 403, 'provider staff do not add organizations');
    const org = await createOrganization(db(), { ...ORG, name: 'Eastbay Peers', npi: '1987654328', taxId: '941234568' }, admin);
    // Provider staff keep their own organization's records only.
    await assert.rejects(employPeer(db(), { organizationId: org.id, number: 'PSS-730001', individualNpi: '1234567893', startsOn: '2026-01-01' }, countyStaff), (err: { status: number }) => err.status === 403);
    const staff = await actingAs([{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: org.id }]);
    await assert.rejects(employPeer(db(), { organizationId: org.id, number: 'PSS-730001', individualNpi: '1234567890', startsOn: '2026-01-01' }, staff), /check digit/);
    await assert.rejects(employPeer(db(), { organizationId: org.id, number: 'PSS-730001', individualNpi: '1234567893', startsOn: '2026-02-01', endsOn: '2026-01-01' }, staff), /end date comes after/);
    await employPeer(db(), { organizationId: org.id, number: 'PSS-730001', individualNpi: '1234567893', startsOn: '2026-01-01', endsOn: '2026-12-01' }, staff);
    await assert.rejects(employPeer(db(), { organizationId: org.id, number: 'pss-730001', individualNpi: '1234567893', startsOn: '2026-11-01' }, staff), /already employed/);

    // The investigator also supervises peers (an unusual double role, exactly the conflict the rule exists for).
    const supervisorRoles: RoleGrant[] = [
      { role: 'supervisor', countyFips: ALAMEDA, organizationId: org.id },
      { role: 'enforcement_staff', countyFips: null },
    ];
    const investigator = await actingAs(supervisorRoles);
    await assert.rejects(assignSupervision(db(), { organizationId: org.id, supervisorUserId: investigator.userId, number: 'PSS-730001', startsOn: '2026-02-01' }, staff), /not on record as a supervisor/);
    await recordSupervisor(db(), { userId: investigator.userId, qualificationBasis: 'LCSW, 6 years supervising peers', trainingCompletedOn: '2025-11-15' }, staff);
    await assert.rejects(assignSupervision(db(), { organizationId: org.id, supervisorUserId: investigator.userId, number: 'PSS-730001', startsOn: '2026-12-15' }, staff), /not employed/);
    await assignSupervision(db(), { organizationId: org.id, supervisorUserId: investigator.userId, number: 'PSS-730001', startsOn: '2026-02-01', endsOn: '2026-12-01' }, staff);
    const [peerId] = (await db().query.certifications.findMany({ where: (c, { eq }) => eq(c.number, 'PSS-730001') })).map((c) => c.peerId);
    assert.equal(await supervisesOn(db(), investigator.userId, peerId!, '2026-03-01'), true);
    assert.equal(await supervisesOn(db(), investigator.userId, peerId!, '2026-12-01'), false, 'the end date is the first day not covered');

    const complaint = await fileComplaint(db(), testStorage(), { kind: 'ethics', subjectNumber: 'PSS-730001', narrative: 'Missed three sessions without telling anyone.', name: 'C', email: 'c@example.org' }, [], { actor: { kind: 'anonymous' }, today: '2026-03-02' });
    const colleague = await actingAs([{ role: 'enforcement_staff', countyFips: null }]);
    await assert.rejects(assignCase(db(), { caseId: complaint.id, investigatorId: investigator.userId }, colleague), /someone they supervise/);
    // After the supervision ends, the conflict is gone.
    const later = await assignCase(db(), { caseId: complaint.id, investigatorId: investigator.userId }, { ...colleague, today: '2026-12-02' });
    assert.equal(later.assignedTo, investigator.userId);
  });
});
