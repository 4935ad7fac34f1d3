// The claiming journey in a real browser: billing staff build a batch, see a held claim with its edit, download the
// 837P, upload a matching 835 and see paid and denied lines. An organization has three billable services last
// month (two members whose claims are ready, one whose service has no diagnosis); the billing staff build the batch
// through the form and see 2 ready and 1 held, open the held claim and find its edit on line 1, download the 837P
// (X12 that reads back clean, with the two ready claims and a REF*6R per line, never the held one), answer it with
// an 835 written from the file's own control numbers (one claim paid in full, one denied CO-16), post it through
// the upload form, and find the paid amount on one claim, the denial's reason on the other and on the denials by
// reason. Every page is checked with axe (WCAG 2.1 A/AA).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { UseCaseContext } from '../src/access/context.ts';
import { createPerson, TEST_PASSWORD } from '../src/accounts/testing.ts';
import { registerBeneficiary } from '../src/beneficiaries/beneficiaries.service.ts';
import { recordedEligibility, recordEligibility } from '../src/beneficiaries/eligibility.service.ts';
import { certifyPeer } from '../src/certification/certified-peer.testing.ts';
import { importFeeSchedule } from '../src/claims/fee-schedule.ts';
import { x835 } from '../src/claims/fixtures-835.testing.ts';
import { check837 } from '../src/claims/x12-837p.ts';
import { createEncounter, markBillable } from '../src/encounters/document-encounter.ts';
import { fixtureNpi } from '../src/encounters/services.testing.ts';
import { addDays, addYears, todayInCalifornia } from '../src/lib/dates.ts';
import { testFieldCipher } from '../src/lib/field-crypto.testing.ts';
import { addContract, assignSupervision, createOrganization, employPeer, recordSupervisor } from '../src/organizations/organizations.service.ts';
import { databaseOf } from '../src/testing.ts';
import { browserJourneys, expectNoAxeViolations } from './support.ts';

const journeys = browserJourneys();
const { openPage, closePage } = journeys;
const today = todayInCalifornia();
const db = () => databaseOf(journeys.server().app).db;
const ALAMEDA = '06001';
// The period billed: a few weeks back, well within timely filing whenever the test runs.
const FROM = addDays(today, -35);
const TO = addDays(today, -7);

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

async function follow(page: Page, name: string | RegExp, within = page.locator('body')): Promise<void> {
  await Promise.all([page.waitForEvent('load'), within.getByRole('link', { name, exact: typeof name === 'string' }).first().click()]);
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await submit(page, 'Sign in');
}

const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** An 837P's claims as a payer reads them: CLM01 and its total, the member (NM1*IL), and each line's SV1, DTP*472 and REF*6R. */
function claimsOf837(file: string) {
  type Line = { code: string; charge: string; units: string; date: string; control: string };
  const out: Array<{ control: string; total: string; memberLast: string; lines: Line[] }> = [];
  let memberLast = '';
  for (const segment of file.split('~').map((s) => s.trim()).filter(Boolean)) {
    const e = segment.split('*');
    const claim = out.at(-1);
    const line = claim?.lines.at(-1);
    if (e[0] === 'NM1' && e[1] === 'IL') memberLast = e[3] ?? '';
    else if (e[0] === 'CLM') out.push({ control: e[1] ?? '', total: e[2] ?? '', memberLast, lines: [] });
    else if (e[0] === 'SV1' && claim) claim.lines.push({ code: (e[1] ?? '').split(':')[1] ?? '', charge: e[2] ?? '', units: e[4] ?? '', date: '', control: '' });
    else if (e[0] === 'DTP' && e[1] === '472' && line) line.date = e[3] ?? '';
    else if (e[0] === 'REF' && e[1] === '6R' && line) line.control = e[2] ?? '';
  }
  return out;
}

test('billing staff build a batch, see a held claim with its edit, download the 837P, upload a matching 835 and see paid and denied lines', async () => {
  // An Alameda organization contracted for SMHS, with a trained supervisor and a certified peer at work there.
  const admin = await createPerson(db(), { roles: [{ role: 'county_admin', countyFips: ALAMEDA }] });
  const county: UseCaseContext = { actor: { kind: 'user', userId: admin.id, roles: [{ role: 'county_admin', countyFips: ALAMEDA }] } };
  const org = await createOrganization(db(), { name: 'Harbor Peer Collective', kind: 'contracted', npi: fixtureNpi(5151), taxId: '941113333', countyFips: ALAMEDA, street: '9 Harbor Way', city: 'Oakland', zip: '94607' }, county);
  await addContract(db(), { organizationId: org.id, deliverySystem: 'SMHS', startsOn: addDays(today, -400) }, county);
  const billing = await createPerson(db(), { email: 'bea.billing@example.org', displayName: 'Bea Billing', roles: [{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: org.id }] });
  const staff: UseCaseContext = { actor: { kind: 'user', userId: billing.id, roles: [{ role: 'provider_staff', countyFips: ALAMEDA, organizationId: org.id }] } };
  const supervisor = await createPerson(db(), { displayName: 'Sam Supervisor', roles: [{ role: 'supervisor', countyFips: ALAMEDA, organizationId: org.id }] });
  await recordSupervisor(db(), { userId: supervisor.id, qualificationBasis: 'LCSW', trainingCompletedOn: addDays(today, -300) }, county);
  const peerUser = await createPerson(db(), { displayName: 'Rio Peer' });
  await certifyPeer(db(), { first: 'Rio', last: 'Peer', number: 'PSS-940001', issuedOn: addYears(today, -1), expiresOn: addYears(today, 1), userId: peerUser.id });
  await employPeer(db(), { organizationId: org.id, number: 'PSS-940001', individualNpi: fixtureNpi(5252), startsOn: addDays(today, -200) }, county);
  await assignSupervision(db(), { organizationId: org.id, supervisorUserId: supervisor.id, number: 'PSS-940001', startsOn: addDays(today, -200) }, county);

  // An illustrative fee schedule: H0038 at $26.49 a 15-minute unit.
  const analystPerson = await createPerson(db(), { roles: [{ role: 'dhcs_analyst', countyFips: null }] });
  const analyst: UseCaseContext = { actor: { kind: 'user', userId: analystPerson.id, roles: [{ role: 'dhcs_analyst', countyFips: null }] } };
  const schedule = ['plan_code,delivery_system,procedure_code,modifiers,effective_from,rate', `alameda,SMHS,H0038,,${addDays(today, -400)},26.49`].join('\n');
  await importFeeSchedule(db(), { csv: schedule, source: 'Claims journey schedule', illustrative: true }, analyst);

  // Three members, eligible, and an engagement visit with each, signed the day it happened and marked billable.
  const peer = (on: string): UseCaseContext => ({ actor: { kind: 'user', userId: peerUser.id, roles: [] }, today: on });
  const visits = [
    { cin: '95555551A', first: 'Ana', last: 'Alvarez', on: addDays(today, -30), startTime: '10:00', endTime: '11:00', diagnosisCode: 'F33.1' }, // 4 units, $105.96: paid
    { cin: '95555552A', first: 'Beto', last: 'Bautista', on: addDays(today, -29), startTime: '10:00', endTime: '10:45', diagnosisCode: 'F43.10' }, // 3 units, $79.47: denied
    { cin: '95555553A', first: 'Carmen', last: 'Cruz', on: addDays(today, -28), startTime: '14:00', endTime: '14:30', diagnosisCode: '' }, // no diagnosis: held
  ];
  for (const v of visits) {
    const member = await registerBeneficiary(db(), testFieldCipher(), { organizationId: org.id, cin: v.cin, firstName: v.first, lastName: v.last, birthDate: '1985-05-05', sex: 'F', countyFips: ALAMEDA, street: '12 Pine St', city: 'Oakland', zip: '94610' }, staff);
    await recordEligibility(db(), member.id, { startsOn: addDays(today, -90) }, staff);
    const { encounter, failures } = await createEncounter(
      db(),
      recordedEligibility,
      {
        organizationId: org.id,
        participantIds: [member.id],
        serviceDate: v.on,
        startTime: v.startTime,
        endTime: v.endTime,
        component: 'engagement',
        deliverySystem: 'SMHS',
        modality: 'in_person',
        placeOfService: '11',
        carePlanReference: 'CP-2026-301',
        diagnosisCode: v.diagnosisCode,
        noteNarrative: `Met with ${v.first} to plan the week; ${v.first} chose one recovery goal.`,
        noteNextSteps: 'Meet again next week.',
        sign: true,
      },
      peer(v.on),
    );
    assert.deepEqual(failures, [], JSON.stringify(failures));
    await markBillable(db(), recordedEligibility, encounter.id, { ...staff, today: v.on });
  }

  // The billing staff sign in and go to the claims pages.
  const session = await openPage();
  const { page } = session;
  await signIn(page, billing.email);
  await follow(page, 'Claims');
  await page.waitForURL(/\/claims$/);
  assert.equal(await page.getByTestId('no-batches').count(), 1, 'no batch yet');
  await expectNoAxeViolations(page);

  // They build the batch for the period through the form, and land on it: three claims, two ready, one held.
  assert.equal(await page.getByLabel('Organization').inputValue(), org.id, 'their one organization is chosen');
  await page.getByLabel('Services from').fill(FROM);
  await page.getByLabel('Services to').fill(TO);
  await submit(page, 'Build the batch');
  assert.match(page.url(), /\/claims\/batches\/[0-9a-f-]{36}\?done=built$/, `not built: ${await page.locator('main').textContent()}`);
  const batchUrl = new URL(page.url()).pathname;
  assert.match(await text(page, 'form-success'), /The batch is built/);
  assert.equal(await text(page, 'batch-counts'), '3 in all: 2 ready, 1 held');
  const heldRow = page.locator('tr[data-state="held"]');
  assert.equal(await heldRow.count(), 1);
  assert.match((await heldRow.textContent()) ?? '', /Carmen Cruz/);
  const heldControl = ((await heldRow.getByRole('link').textContent()) ?? '').trim();
  assert.match(heldControl, /^C\d+$/);
  const readyControls = (await page.locator('tr[data-state="ready"]').getByRole('link').allTextContents()).map((c) => c.trim()).sort();
  assert.equal(readyControls.length, 2);
  await expectNoAxeViolations(page);

  // The held claim says what holds it, and on which line.
  await follow(page, heldControl, heldRow);
  await page.waitForURL(/\/claims\/[0-9a-f-]{36}$/);
  assert.equal(((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim(), `Claim ${heldControl}`);
  const edits = page.getByRole('region', { name: 'Edits holding this claim' });
  assert.equal(await edits.locator('[data-edit]').count(), 1);
  assert.equal(await edits.locator('[data-edit]').getAttribute('data-edit'), 'claim.diagnosis_missing');
  assert.equal(((await edits.locator('[data-edit]').textContent()) ?? '').replace(/\s+/g, ' ').trim(), 'Line 1: The service has no diagnosis (ICD-10-CM) for the claim.');
  const heldLine = page.getByTestId('claim-lines').locator('tr[data-line="1"]');
  assert.equal(await heldLine.getAttribute('class'), 'pss-held', 'the line the edit is on is highlighted');
  assert.match(((await heldLine.textContent()) ?? '').replace(/\s+/g, ' '), new RegExp(`H0038.*\\$52\\.98.*${heldControl}-1`));
  await expectNoAxeViolations(page);

  // Back on the batch, they download the 837P: X12 that reads back clean, with the ready claims only.
  await follow(page, 'Back to its batch');
  await page.waitForURL(new RegExp(`${batchUrl}$`));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download 837P' }).click()]);
  assert.match(download.suggestedFilename(), /^837P-\d{9}\.txt$/);
  const file = await readFile(await download.path(), 'utf8');
  assert.match(file, /^ISA\*/);
  assert.deepEqual(check837(file), [], 'the file reads back with no problem');
  const sent = claimsOf837(file);
  assert.deepEqual(sent.map((c) => c.control).sort(), readyControls, 'a CLM for each ready claim');
  assert.deepEqual(sent.map((c) => c.memberLast).sort(), ['ALVAREZ', 'BAUTISTA']);
  assert.ok(!file.includes(`CLM*${heldControl}*`), 'never the held claim');
  for (const c of sent) assert.deepEqual(c.lines.map((l) => l.control), [`${c.control}-1`], `one line on ${c.control}, with its REF*6R`);
  const segments = file.split('~').map((s) => s.trim());
  const count = (prefix: string) => segments.filter((s) => s.startsWith(prefix)).length;
  assert.deepEqual({ lines: count('SV1*'), lineControls: count('REF*6R*') }, { lines: 2, lineControls: 2 }, 'a REF*6R per line');

  // The payer answers with an 835 written from the file's own control numbers: Ana's claim paid in full,
  // Beto's denied (CO-16, nothing paid).
  const paid = sent.find((c) => c.memberLast === 'ALVAREZ')!;
  const denied = sent.find((c) => c.memberLast === 'BAUTISTA')!;
  const [paidLine, deniedLine] = [paid.lines[0]!, denied.lines[0]!];
  assert.equal(paid.total, '105.96');
  assert.equal(denied.total, '79.47');
  const remit = x835([
    `BPR*I*${paid.total}*C*CHK************${today.replaceAll('-', '')}`,
    'TRN*1*EFTJOURNEY1*1941234567',
    'N1*PR*MEDI-CAL SDMC',
    `N1*PE*HARBOR PEER COLLECTIVE*XX*${org.npi}`,
    'LX*1',
    `CLP*${paid.control}*1*${paid.total}*${paid.total}**MC*PAYERJOURNEY1`,
    `SVC*HC:${paidLine.code}*${paidLine.charge}*${paidLine.charge}**${paidLine.units}`,
    `DTM*472*${paidLine.date}`,
    `REF*6R*${paidLine.control}`,
    `CLP*${denied.control}*4*${denied.total}*0**MC*PAYERJOURNEY2`,
    `SVC*HC:${deniedLine.code}*${deniedLine.charge}*0**${deniedLine.units}`,
    `DTM*472*${deniedLine.date}`,
    `CAS*CO*16*${deniedLine.charge}`,
    `REF*6R*${deniedLine.control}`,
  ]);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pss-835-'));
  try {
    const remitFile = path.join(dir, 'remit-journey.835');
    await writeFile(remitFile, remit);

    // They upload it through the form and see what it posted.
    await follow(page, 'Back to the batches');
    await follow(page, 'Upload an 835');
    await page.waitForURL(/\/claims\/remittances\/new$/);
    await expectNoAxeViolations(page);
    // The upload field is named by its label, not by USWDS's drop-zone text (src/web/assets/file-inputs.js).
    assert.match(await page.locator('input#file').ariaSnapshot(), /"835 file"/);
    await page.locator('input#file').setInputFiles(remitFile);
    await submit(page, 'Post the remittance');
    assert.match(await text(page, 'remittance-result'), /The remittance is posted\./);
    assert.equal(await text(page, 'claims-matched'), '2');
    assert.equal(await text(page, 'lines-posted'), '2');
    assert.equal(await text(page, 'paid-amount'), '$105.96');
    assert.equal(await page.getByTestId('all-matched').count(), 1, 'every claim and line matched');
    await expectNoAxeViolations(page);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // The paid claim: found by its state, paid in full on its line.
  await follow(page, 'Claims by state');
  await page.getByLabel('State', { exact: true }).selectOption('paid');
  await submit(page, 'Apply the filters');
  await expectNoAxeViolations(page);
  const paidRow = page.getByTestId('claims').locator('tbody tr');
  assert.equal(await paidRow.count(), 1);
  assert.match((await paidRow.textContent()) ?? '', /Ana Alvarez/);
  await follow(page, paid.control, paidRow);
  assert.equal(((await page.getByTestId('claim-state').textContent()) ?? '').trim(), 'Paid');
  assert.equal(await text(page, 'claim-paid'), '$105.96');
  assert.equal(await text(page, 'no-edits'), 'No edit holds this claim.');
  assert.match(((await page.getByTestId('claim-lines').locator('tr[data-line="1"]').textContent()) ?? '').replace(/\s+/g, ' '), new RegExp(`${paid.control}-1\\s*\\$105\\.96\\s*None`));
  await expectNoAxeViolations(page);

  // The denied claim: nothing paid, and its line says why, in plain words.
  await follow(page, 'Claims');
  await follow(page, 'Claims by state');
  await page.getByLabel('State', { exact: true }).selectOption('denied');
  await submit(page, 'Apply the filters');
  const deniedRow = page.getByTestId('claims').locator('tbody tr');
  assert.equal(await deniedRow.count(), 1);
  assert.match((await deniedRow.textContent()) ?? '', /Beto Bautista/);
  await follow(page, denied.control, deniedRow);
  assert.equal(((await page.getByTestId('claim-state').textContent()) ?? '').trim(), 'Denied');
  assert.equal(await text(page, 'claim-paid'), '$0.00');
  const adjustment = page.getByTestId('claim-lines').locator('[data-adjustment="CO-16"]');
  assert.equal(((await adjustment.textContent()) ?? '').replace(/\s+/g, ' ').trim(), 'CO-16 $79.47 (The claim lacks information or has submission or billing errors.)');
  assert.equal(await adjustment.locator('abbr').getAttribute('title'), 'Contractual obligation');
  await expectNoAxeViolations(page);

  // Denials by reason list the reason, its meaning and the amount.
  await follow(page, 'Claims');
  await follow(page, 'Denials by reason');
  const reason = page.getByTestId('denials').locator('tr[data-reason="CO-16"]');
  assert.equal(await page.getByTestId('denials').locator('tbody tr').count(), 1, 'the paid claim had no adjustment');
  assert.match(((await reason.textContent()) ?? '').replace(/\s+/g, ' '), /CO\s*16\s*The claim lacks information or has submission or billing errors\.\s*1\s*\$79\.47/);
  await expectNoAxeViolations(page);

  // The batch history shows the batch, its file written: none of its claims waits to be sent, one is still held.
  await follow(page, 'Batches');
  const batchRow = page.getByTestId('batches').locator('tbody tr');
  assert.equal(await batchRow.count(), 1);
  const cell = async (label: string) => ((await batchRow.locator(`[data-label="${label}"]`).textContent()) ?? '').trim();
  assert.deepEqual(
    { organization: await cell('Organization'), period: await cell('Services in'), batch: await cell('Batch'), claims: await cell('Claims'), ready: await cell('Ready'), held: await cell('Held'), charged: await cell('Charged') },
    { organization: 'Harbor Peer Collective', period: `${FROM} to ${TO}`, batch: 'File written', claims: '3', ready: '0', held: '1', charged: '$238.41' },
  );
  await expectNoAxeViolations(page);
  await closePage(session);
});
