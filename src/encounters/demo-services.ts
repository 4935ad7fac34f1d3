// Demo data for service documentation, clearly fictional: a contracted Alameda organization with a site, the demo
// provider-staff and supervisor accounts as its staff, the demo peer and Samuel Ortiz (PSS-000102) employed and
// supervised there, three members with eligibility, and services in every state — billable, a draft that still
// fails a rule, a group session, and one for a member whose eligibility ended — and, from an illustrative fee
// schedule, a batch of claims built from the billable one. Written through the real use cases.
import { eq, sql } from 'drizzle-orm';
import { systemContext, type UseCaseContext } from '../access/context.ts';
import type { RoleGrant } from '../access/roles.ts';
import { users } from '../accounts/accounts.schema.ts';
import { registerBeneficiary } from '../beneficiaries/beneficiaries.service.ts';
import { recordedEligibility, recordEligibility } from '../beneficiaries/eligibility.service.ts';
import { certifications, peers } from '../certification/certification.schema.ts';
import type { Db } from '../db/client.ts';
import { npiCheckDigit } from '../identifiers/npi.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import type { FieldCipher } from '../lib/field-crypto.ts';
import { providerOrganizations } from '../organizations/organizations.schema.ts';
import { addOrganizationStaff, addSite } from '../organizations/organization-staff.ts';
import { addContract, assignSupervision, createOrganization, employPeer, recordSupervisor } from '../organizations/organizations.service.ts';
import { createEncounter, markBillable } from './document-encounter.ts';
import { buildClaimBatch } from '../claims/build-claims.ts';
import { importFeeSchedule } from '../claims/fee-schedule.ts';

const ALAMEDA = '06001';
const npi = (first9: string) => `${first9}${npiCheckDigit(first9)}`;

async function userByEmail(db: Db, email: string) {
  const [user] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  if (!user) throw new Error(`the demo account ${email} is missing (seed the demo accounts first)`);
  return user.id;
}

/** A weekday a few days before today (services are documented on weekdays in the demo). */
function weekdayBefore(today: string, days: number): string {
  let day = addDays(today, -days);
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDays(day, -1);
  return day;
}

export async function seedDemoServices(db: Db, deps: { fieldCipher: FieldCipher }): Promise<void> {
  const [already] = await db.select({ id: providerOrganizations.id }).from(providerOrganizations).limit(1);
  if (already) return;
  const today = todayInCalifornia();
  const as = (userId: string, roles: RoleGrant[], on = today): UseCaseContext => ({ actor: { kind: 'user', userId, roles }, today: on });
  const county = as(await userByEmail(db, 'county-admin@demo.example.org'), [{ role: 'county_admin', countyFips: ALAMEDA }]);

  const org = await createOrganization(db, { name: 'Eastbay Peer Recovery Center (demo)', kind: 'contracted', npi: npi('145678901'), taxId: '94-5550123', countyFips: ALAMEDA, street: '1500 Broadway', city: 'Oakland', zip: '94612' }, county);
  const opened = addDays(today, -400);
  await addContract(db, { organizationId: org.id, deliverySystem: 'SMHS', startsOn: opened }, county);
  await addContract(db, { organizationId: org.id, deliverySystem: 'DMC_ODS', startsOn: opened }, county);
  await addSite(db, { organizationId: org.id, name: 'Eastbay drop-in center', street: '1500 Broadway', city: 'Oakland', zip: '94612', placeOfService: '53' }, county);
  await addOrganizationStaff(db, { organizationId: org.id, email: 'provider-staff@demo.example.org', role: 'provider_staff' }, county);
  await addOrganizationStaff(db, { organizationId: org.id, email: 'supervisor@demo.example.org', role: 'supervisor' }, county);
  const staffId = await userByEmail(db, 'provider-staff@demo.example.org');
  const staff = as(staffId, [{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: org.id }]);
  const supervisorId = await userByEmail(db, 'supervisor@demo.example.org');
  await recordSupervisor(db, { userId: supervisorId, qualificationBasis: 'Certified peer with 6 years of peer experience (BHIN 22-018 option a)', trainingCompletedOn: addDays(today, -380) }, staff);

  const peerUserId = await userByEmail(db, 'peer@demo.example.org');
  const [demoPeer] = await db.select({ number: certifications.number }).from(certifications).innerJoin(peers, eq(peers.id, certifications.peerId)).where(eq(peers.userId, peerUserId));
  const numbers = [...(demoPeer ? [demoPeer.number] : []), 'PSS-000102'];
  for (const [i, number] of numbers.entries()) {
    await employPeer(db, { organizationId: org.id, number, individualNpi: npi(`16789012${i}`), startsOn: addDays(today, -365) }, staff);
    await assignSupervision(db, { organizationId: org.id, supervisorUserId: supervisorId, number, startsOn: addDays(today, -365) }, staff);
  }

  const members = [];
  for (const [cin, first, last, birthDate, sex, eligibleUntil] of [
    ['90000001A', 'Rosa', 'Demo-Garcia', '1979-03-14', 'F', addDays(today, 180)],
    ['90000002C', 'James', 'Demo-Nguyen', '1992-11-02', 'M', addDays(today, 180)],
    ['90000003D', 'Alex', 'Demo-Brooks', '2001-06-30', 'U', addDays(today, -10)],
  ] as const) {
    const member = await registerBeneficiary(db, deps.fieldCipher, { organizationId: org.id, cin, firstName: first, lastName: last, birthDate, sex, countyFips: ALAMEDA, street: '2000 Telegraph Ave', city: 'Oakland', zip: '94612' }, staff);
    await recordEligibility(db, member.id, { startsOn: addDays(today, -365), endsOn: eligibleUntil }, staff);
    members.push(member);
  }
  const [rosa, james, alex] = members as [(typeof members)[number], (typeof members)[number], (typeof members)[number]];

  // Services are documented by staff for PSS-000102 (who has no account) and signed by the demo peer themself.
  const visit = (memberIds: string[], on: string, more: Record<string, unknown>) => ({
    organizationId: org.id,
    participantIds: memberIds,
    serviceDate: on,
    component: 'engagement',
    deliverySystem: 'SMHS',
    modality: 'in_person',
    placeOfService: '53',
    carePlanReference: 'Problem list, goal 2',
    diagnosisCode: 'F33.1',
    noteNarrative: 'Talked through the move from residential to outpatient care; set two goals for the week.',
    noteNextSteps: 'Meet again next week; go to the first outpatient visit together.',
    ...more,
  });
  const peerContext = (on: string) => as(peerUserId, [], on);
  if (demoPeer) {
    const first = weekdayBefore(today, 7);
    const billable = await createEncounter(db, recordedEligibility, visit([rosa.id], first, { startTime: '10:00', endTime: '10:50', sign: true }), peerContext(first));
    await markBillable(db, recordedEligibility, billable.encounter.id, staff);
    const second = weekdayBefore(today, 1);
    await createEncounter(db, recordedEligibility, visit([james.id], second, { startTime: '14:00', endTime: '14:30', modality: 'video', placeOfService: '10', carePlanReference: '', sign: true }), peerContext(second));
  }
  const group = weekdayBefore(today, 3);
  await createEncounter(db, recordedEligibility, visit([rosa.id, james.id], group, { peerNumber: 'PSS-000102', component: 'educational_group', startTime: '13:00', endTime: '14:30', noteNarrative: 'Skill-building group on budgeting and natural supports; 2 members attended.' }), { ...staff, today: group });
  const lapsed = weekdayBefore(today, 2);
  await createEncounter(db, recordedEligibility, visit([alex.id], lapsed, { peerNumber: 'PSS-000102', component: 'therapeutic_activity', minutes: 45 }), { ...staff, today: lapsed });

  // An illustrative fee schedule (not DHCS's or any county's rates) and a batch built from the billable services.
  await importFeeSchedule(db, { csv: DEMO_RATES, source: 'Demo fee schedule (illustrative, not real rates)', illustrative: true }, systemContext('demo'));
  if (demoPeer) await buildClaimBatch(db, recordedEligibility, { organizationId: org.id, from: addDays(today, -30), to: today }, staff);
}

const DEMO_RATES = ['plan_code,delivery_system,procedure_code,modifiers,effective_from,rate', ...['SMHS', 'DMC_ODS'].flatMap((system) => [`alameda,${system},H0038,,2022-07-01,26.49`, `alameda,${system},H0025,,2022-07-01,31.00`])].join('\n');
