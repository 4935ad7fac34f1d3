// The claims API over HTTP, as a county billing system uses it: build a batch, download its 837P, post the payer's
// 835, read the claim and the denials — and another organization's staff, or a visitor, get nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPerson, sessionHeaders } from '../accounts/testing.ts';
import { recordEligibility, recordedEligibility } from '../beneficiaries/eligibility.service.ts';
import { createEncounter, markBillable } from '../encounters/document-encounter.ts';
import { engagementVisit, providerAtWork, type ProviderAtWork } from '../encounters/services.testing.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { importFeeSchedule } from './fee-schedule.ts';
import { x835 } from './fixtures-835.testing.ts';
import { check837 } from './x12-837p.ts';

let t: TestApp;
let p: ProviderAtWork;
let other: ProviderAtWork;
const today = todayInCalifornia();
const serviceDate = addDays(today, -3);

const as = (userId: string) => sessionHeaders(t.app, userId);

before(async () => {
  t = await createTestApp();
  const db = t.database.db;
  p = await providerAtWork(db, { employedUntil: null, employedFrom: addDays(today, -60) });
  other = await providerAtWork(db, { cin: '97777777C', employedUntil: null });
  const analyst = await createPerson(db, { roles: [{ role: 'dhcs_analyst', countyFips: null }] });
  await importFeeSchedule(db, { csv: 'plan_code,delivery_system,procedure_code,modifiers,effective_from,rate\nalameda,SMHS,H0038,,2022-01-01,26.49\n', source: 'test', illustrative: true }, { actor: { kind: 'user', userId: analyst.id, roles: [{ role: 'dhcs_analyst', countyFips: null }] } });
  await recordEligibility(db, p.member.id, { startsOn: '2026-10-01' }, p.staff);
  const { encounter } = await createEncounter(db, recordedEligibility, engagementVisit(p, { serviceDate }), { ...p.peer, today: serviceDate });
  await markBillable(db, recordedEligibility, encounter.id, { ...p.staff, today: serviceDate });
});
after(() => t.close());

describe('claims API', () => {
  test('build, download the 837P, post the 835, read the claim and the denials', async () => {
    const staff = await as(p.staff.userId);
    const built = await t.app.inject({ method: 'POST', url: '/api/v1/claims/batches', headers: staff, payload: { organizationId: p.org.id, from: addDays(today, -10), to: today } });
    assert.equal(built.statusCode, 201, built.body);
    assert.deepEqual([built.json().ready, built.json().held], [1, 0]);
    const file = await t.app.inject({ url: `/api/v1/claims/batches/${built.json().id}/837`, headers: staff });
    assert.equal(file.statusCode, 200, file.body);
    assert.match(String(file.headers['content-disposition']), /attachment; filename="837P-\d{9}\.txt"/);
    assert.deepEqual(check837(file.body), []);
    const list = await t.app.inject({ url: `/api/v1/claims?state=submitted`, headers: staff });
    const [claim] = list.json().claims;
    assert.equal(claim.totalCents, 4 * 2649);
    const remit = x835(['BPR*I*80*C*CHK************20261201', 'TRN*1*EFT7*1', `CLP*${claim.controlNumber}*1*105.96*80**MC*PAY7`, 'SVC*HC:H0038*105.96*80**4', `DTM*472*${serviceDate.replaceAll('-', '')}`, 'CAS*CO*45*25.96', `REF*6R*${claim.controlNumber}-1`]);
    const posted = await t.app.inject({ method: 'POST', url: '/api/v1/claims/remittances?fileName=remit.835', headers: { ...staff, 'content-type': 'text/plain' }, payload: remit });
    assert.equal(posted.statusCode, 200, posted.body);
    assert.equal(posted.json().linesPosted, 1);
    const read = await t.app.inject({ url: `/api/v1/claims/${claim.id}`, headers: staff });
    assert.equal(read.json().state, 'partly_paid');
    assert.deepEqual(read.json().lines[0].adjustments, [{ group: 'CO', reason: '45', cents: 2596 }]);
    assert.deepEqual(read.json().history.map((h: { to: string }) => h.to), ['ready', 'submitted', 'partly_paid']);
    const denials = await t.app.inject({ url: '/api/v1/claims/denials', headers: staff });
    assert.deepEqual(denials.json().reasons, [{ group: 'CO', reason: '45', lines: 1, cents: 2596 }]);

    const outsider = await as(other.staff.userId);
    assert.equal((await t.app.inject({ url: `/api/v1/claims/${claim.id}`, headers: outsider })).statusCode, 404);
    assert.equal((await t.app.inject({ url: `/api/v1/claims/batches/${built.json().id}/837`, headers: outsider })).statusCode, 404);
    assert.deepEqual((await t.app.inject({ url: '/api/v1/claims', headers: outsider })).json().claims, []);
    const theirs = await t.app.inject({ method: 'POST', url: '/api/v1/claims/remittances', headers: { ...outsider, 'content-type': 'text/plain' }, payload: remit.replace('PAY7', 'PAY8') });
    assert.equal(theirs.json().unmatched[0].reference, claim.controlNumber, 'another organization’s claim is not theirs to post');
    assert.equal((await t.app.inject({ url: '/api/v1/claims' })).statusCode, 401);
  });
});
