// A provider organization at work, for tests of members and services: an Alameda organization contracted for SMHS
// and DMC-ODS, its provider staff, a trained supervisor, a certified peer with an account who is employed and
// supervised there, and one registered member with an eligibility period.
import type { UseCaseContext } from '../access/context.ts';
import type { RoleGrant } from '../access/roles.ts';
import { createPerson } from '../accounts/testing.ts';
import { registerBeneficiary, type Beneficiary } from '../beneficiaries/beneficiaries.service.ts';
import { recordedEligibility, recordEligibility } from '../beneficiaries/eligibility.service.ts';
import { certifyPeer } from '../certification/certified-peer.testing.ts';
import type { Db } from '../db/client.ts';
import { createEncounter, markBillable } from './document-encounter.ts';
import { npiCheckDigit } from '../identifiers/npi.ts';
import { testFieldCipher } from '../lib/field-crypto.testing.ts';
import type { OrganizationRow } from '../organizations/organization-access.ts';
import { addContract, assignSupervision, createOrganization, employPeer, recordSupervisor } from '../organizations/organizations.service.ts';

export const ALAMEDA = '06001';

export interface ProviderAtWork {
  org: OrganizationRow;
  admin: UseCaseContext;
  staff: UseCaseContext & { userId: string };
  supervisor: UseCaseContext & { userId: string };
  peer: UseCaseContext & { userId: string; peerId: string; certificationId: string; number: string };
  member: Beneficiary;
}

let sequence = 0;

/** A check-digit-valid NPI for the n-th fixture. */
export function fixtureNpi(n: number): string {
  const first9 = `1${String(n % 100_000_000).padStart(8, '0')}`;
  return `${first9}${npiCheckDigit(first9)}`;
}

export interface ProviderOptions {
  name?: string;
  today?: string;
  number?: string;
  cin?: string;
  employedFrom?: string;
  /** The first day no longer employed; null: still employed. */
  employedUntil?: string | null;
  supervisorTrainedOn?: string;
}

export async function providerAtWork(db: Db, options: ProviderOptions = {}): Promise<ProviderAtWork> {
  const n = ++sequence + Math.floor(Math.random() * 1_000_000);
  const today = options.today ?? '2026-10-15';
  const acting = async (roles: RoleGrant[], displayName?: string) => {
    const person = await createPerson(db, { roles, ...(displayName ? { displayName } : {}) });
    return { actor: { kind: 'user' as const, userId: person.id, roles }, today, userId: person.id, email: person.email };
  };
  const admin = await acting([{ role: 'county_admin', countyFips: ALAMEDA }]);
  const org = await createOrganization(db, { name: options.name ?? `Bay Peer Partners ${n}`, kind: 'contracted', npi: fixtureNpi(n), taxId: String(940000000 + (n % 99999)), countyFips: ALAMEDA, street: '100 Main St', city: 'Oakland', zip: '94607' }, admin);
  await addContract(db, { organizationId: org.id, deliverySystem: 'SMHS', startsOn: '2026-01-01' }, admin);
  await addContract(db, { organizationId: org.id, deliverySystem: 'DMC_ODS', startsOn: '2026-01-01', endsOn: '2026-07-01' }, admin);
  const staff = await acting([{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: org.id }]);
  const supervisor = await acting([{ role: 'supervisor', countyFips: ALAMEDA, organizationId: org.id }], 'Sam Supervisor');
  await recordSupervisor(db, { userId: supervisor.userId, qualificationBasis: 'LCSW, supervising peers since 2019', trainingCompletedOn: options.supervisorTrainedOn ?? '2026-01-12' }, staff);

  const number = options.number ?? `PSS-${String(800000 + (n % 199999)).padStart(6, '0')}`;
  const peerPerson = await createPerson(db, { displayName: 'Pat Peer' });
  const cert = await certifyPeer(db, { first: 'Pat', last: 'Peer', number, issuedOn: '2025-06-01', expiresOn: '2027-06-01', userId: peerPerson.id });
  await employPeer(db, { organizationId: org.id, number, individualNpi: fixtureNpi(n + 500_000), startsOn: options.employedFrom ?? '2026-01-05', endsOn: options.employedUntil === undefined ? '2026-11-02' : (options.employedUntil ?? '') }, staff);
  await assignSupervision(db, { organizationId: org.id, supervisorUserId: supervisor.userId, number, startsOn: options.employedFrom ?? '2026-01-05' }, staff);
  const peer = { actor: { kind: 'user' as const, userId: peerPerson.id, roles: [] }, today, userId: peerPerson.id, peerId: cert.peerId, certificationId: cert.certificationId, number };

  const member = await registerBeneficiary(db, testFieldCipher(), { organizationId: org.id, cin: options.cin ?? '91234567A', firstName: 'Maria', lastName: 'Member', birthDate: '1980-02-29', sex: 'F', countyFips: ALAMEDA, street: '1 Elm St', city: 'Oakland', zip: '94612' }, staff);
  await recordEligibility(db, member.id, { startsOn: '2026-01-01', endsOn: '2026-10-01' }, staff);
  return { org, admin, staff, supervisor, peer, member };
}

/** An engagement visit that passes every rule for the fixture above (on a Monday, signed that day by the peer). */
export function engagementVisit(p: ProviderAtWork, overrides: Record<string, unknown> = {}) {
  return {
    organizationId: p.org.id,
    participantIds: [p.member.id],
    serviceDate: '2026-04-06',
    startTime: '10:00',
    endTime: '11:00',
    component: 'engagement',
    deliverySystem: 'SMHS',
    modality: 'in_person',
    placeOfService: '11',
    carePlanReference: 'CP-2026-014',
    diagnosisCode: 'F33.1',
    noteNarrative: 'Met to plan the move to outpatient care; Maria set two recovery goals.',
    noteNextSteps: 'Meet next week; call the clinic together.',
    sign: true,
    ...overrides,
  };
}

/** A visit of p documented by the peer on its date with every rule passing, and marked billable by staff that day. */
export async function billableVisit(db: Db, p: ProviderAtWork, overrides: Record<string, unknown> & { serviceDate: string }) {
  const on = overrides.serviceDate;
  const { encounter, failures } = await createEncounter(db, recordedEligibility, engagementVisit(p, overrides), { ...p.peer, today: on });
  if (failures.length > 0) throw new Error(`The fixture visit fails its rules: ${JSON.stringify(failures)}`);
  await markBillable(db, recordedEligibility, encounter.id, { ...p.staff, today: on });
  return encounter;
}
