// A provider uploads completion rosters: each row that names a person in the program, on a date the provider was
// approved for the course's training type and language, is credited; the others are reported row by row.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import type { UseCaseContext } from '../access/context.ts';
import { searchAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/client.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { createCourse } from './create-course.ts';
import { createTrainingProvider } from './create-provider.ts';
import { endProviderApproval, recordProviderApproval } from './provider-approvals.ts';
import { addProviderMember } from './provider-members.ts';
import { addPeer, multipartBody, personContext, signedIn, userActor } from './testing.ts';
import { creditedCompletions, summarizeTraining } from './training-credit.ts';
import { trainingCompletions, trainingRosters } from './training.schema.ts';

let testApp: TestApp;
let app: FastifyInstance;
let db: Db;
let staff: UseCaseContext;
const ids = { providerA: '', providerB: '', coreEn: '', coreEs: '', ce: '', crisis: '', courseB: '' };
const people = { ana: '', ben: '', chloe: '' };
const memberA = userActor('training_provider');
const memberB = userActor('training_provider');
let headersA: Record<string, string>;
let headersB: Record<string, string>;

const HEADER = 'email,legal_first_name,legal_last_name,completed_on';

/** POST a roster to the API as the CSV itself. */
function postCsv(headers: Record<string, string>, courseId: string, body: string) {
  return app.inject({ method: 'POST', url: `/api/v1/training/courses/${courseId}/rosters?filename=class.csv`, headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' }, payload: body });
}

before(async () => {
  testApp = await createTestApp();
  app = testApp.app;
  db = testApp.database.db;
  staff = await personContext(db, userActor('certification_staff'));

  // Golden State Peer Institute teaches the core training in English (and has a Spanish course it was never
  // approved for), continuing education until that approval was ended early, and the crisis care specialization.
  const a = await createTrainingProvider(db, { name: 'Golden State Peer Institute', kind: 'agency', contactEmail: 'hello@gspi.example.org' }, staff);
  ids.providerA = a.id;
  await recordProviderApproval(db, { providerId: a.id, trainingType: 'core', language: 'en', approvedFrom: '2023-01-01', approvedTo: '2027-01-01' }, staff);
  const ce = await recordProviderApproval(db, { providerId: a.id, trainingType: 'ce', language: 'en', approvedFrom: '2023-01-01', approvedTo: '2027-01-01' }, staff);
  await endProviderApproval(db, { approvalId: ce.id, endedOn: '2025-06-01', reason: 'Taught a changed curriculum without approval' }, staff);
  await recordProviderApproval(db, { providerId: a.id, trainingType: 'specialization', language: 'en', approvedFrom: '2023-01-01', approvedTo: '2027-01-01' }, staff);
  ids.coreEn = (await createCourse(db, { providerId: a.id, trainingType: 'core', language: 'en', title: 'Core training', hours: 80, lawEthicsHours: 0 }, staff)).id;
  ids.coreEs = (await createCourse(db, { providerId: a.id, trainingType: 'core', language: 'es', title: 'Capacitación básica', hours: 80, lawEthicsHours: 0 }, staff)).id;
  ids.ce = (await createCourse(db, { providerId: a.id, trainingType: 'ce', language: 'en', title: 'Ethics and boundaries', hours: 14, lawEthicsHours: 6 }, staff)).id;
  ids.crisis = (await createCourse(db, { providerId: a.id, trainingType: 'specialization', specialization: 'crisis_care', language: 'en', title: 'Crisis care', hours: 40, lawEthicsHours: 0 }, staff)).id;

  const b = await createTrainingProvider(db, { name: 'Sierra Foothills Trainers', kind: 'individual', contactEmail: 'sierra@example.org' }, staff);
  ids.providerB = b.id;
  await recordProviderApproval(db, { providerId: b.id, trainingType: 'ce', language: 'en', approvedFrom: '2023-01-01', approvedTo: '2027-01-01' }, staff);
  ids.courseB = (await createCourse(db, { providerId: b.id, trainingType: 'ce', language: 'en', title: 'Self-care', hours: 3, lawEthicsHours: 0 }, staff)).id;

  headersA = await signedIn(app, memberA);
  headersB = await signedIn(app, memberB);
  const emailOf = async (actor: { userId: string }) => (await db.query.users.findFirst({ where: (u, { eq: is }) => is(u.id, actor.userId) }))?.email ?? '';
  await addProviderMember(db, { providerId: a.id, email: await emailOf(memberA) }, staff);
  await addProviderMember(db, { providerId: b.id, email: await emailOf(memberB) }, staff);

  people.ana = (await addPeer(db, { first: 'Ana', last: 'García-López', email: 'Ana.Garcia@example.org' })).id;
  people.ben = (await addPeer(db, { first: 'Ben', last: 'Okafor', email: 'ben@example.org' })).id;
  people.chloe = (await addPeer(db, { first: 'Chloé', last: 'Dubois', email: 'chloe@example.org' })).id;
});
after(() => testApp.close());

describe('a core training roster', () => {
  const roster = [
    HEADER,
    'ana.garcia@EXAMPLE.org,Ana,GARCIA LOPEZ,2024-03-10', // 2: credited (case, accents, hyphen forgiven)
    'ben@example.org,Ben,Okafor,2024-03-10', // 3: credited
    'nobody@example.org,No,Body,2024-03-10', // 4: no such person
    'chloe@example.org,Chloé,Martin,2024-03-10', // 5: wrong last name
    'chloe@example.org,Chloé,Dubois,03/10/2024', // 6: not a date
    'chloe@example.org,Chloé,Dubois,2022-12-31', // 7: before the approval
    'chloe@example.org,Chloé,Dubois,2099-01-01', // 8: in the future
  ].join('\n');
  let rosterId = '';

  test('credits the people it names and reports every other row with its row number and reason', async () => {
    const res = await postCsv(headersA, ids.coreEn, roster);
    assert.equal(res.statusCode, 201, res.body);
    const result = res.json();
    rosterId = result.id;
    assert.equal(result.rowCount, 7);
    assert.equal(result.credited, 2);
    assert.deepEqual(
      result.rejections.map((r: { row: number; code: string }) => [r.row, r.code]),
      [
        [4, 'unknown_person'],
        [5, 'last_name_mismatch'],
        [6, 'bad_date'],
        [7, 'not_approved'],
        [8, 'future_date'],
      ],
    );
    assert.match(result.rejections[3].reason, /not approved to teach core training in en on 2022-12-31/);
  });

  test('Ana and Ben now have core training; Chloé does not', async () => {
    assert.equal(summarizeTraining(await creditedCompletions(db, people.ana)).coreCompletedOn, '2024-03-10');
    assert.equal(summarizeTraining(await creditedCompletions(db, people.ben)).coreCompletedOn, '2024-03-10');
    assert.equal(summarizeTraining(await creditedCompletions(db, people.chloe)).coreCompletedOn, null);
  });

  test('the same file again is refused with 409 and credits nothing', async () => {
    const again = await postCsv(headersA, ids.coreEn, roster);
    assert.equal(again.statusCode, 409);
    assert.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.match(again.json().detail, /already uploaded for this course/);
    const rows = await db.select().from(trainingCompletions).where(eq(trainingCompletions.courseId, ids.coreEn));
    assert.equal(rows.length, 2);
    assert.equal((await db.select().from(trainingRosters).where(eq(trainingRosters.courseId, ids.coreEn))).length, 1);
  });

  test('another file repeating a credited completion reports it as a duplicate instead of crediting it twice', async () => {
    const res = await postCsv(headersA, ids.coreEn, `${HEADER}\nben@example.org,Ben,Okafor,2024-03-10\nchloe@example.org,Chloé,dubois,2024-03-11\nchloe@example.org,Chloé,Dubois,2024-03-11\n`);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().credited, 1);
    assert.deepEqual(res.json().rejections.map((r: { row: number; code: string }) => [r.row, r.code]), [[2, 'duplicate'], [4, 'duplicate']]);
    assert.equal((await db.select().from(trainingCompletions).where(eq(trainingCompletions.peerId, people.ben))).length, 1);
  });

  test('the roster keeps its counts and rejection list, and its upload is audited', async () => {
    const [row] = await db.select().from(trainingRosters).where(eq(trainingRosters.id, rosterId));
    assert.equal(row?.rowCount, 7);
    assert.equal(row?.credited, 2);
    assert.equal((row?.rejections as unknown[]).length, 5);
    const { rows } = await searchAudit(db, { action: 'training.roster.upload', entityId: rosterId });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actorUserId, memberA.userId);
  });

  test('the result page lists each rejected row with its reason, in English and in Spanish', async () => {
    const page = await app.inject({ url: `/training/rosters/${rosterId}`, headers: { ...headersA, accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /7 rows\. Credited: 2; not credited: 5\./);
    assert.match(page.body, /data-code="unknown_person"/);
    assert.match(page.body, /No person in the program has the email nobody@example.org\./);
    const es = await app.inject({ url: `/training/rosters/${rosterId}?lang=es`, headers: { ...headersA, accept: 'text/html' } });
    assert.match(es.body, /7 filas\. Acreditadas: 2; no acreditadas: 5\./);
    assert.match(es.body, /El apellido no coincide/);
  });
});

describe('approvals decide what a roster credits', () => {
  test('a Spanish course of a provider approved for core training in English only credits nothing', async () => {
    const res = await postCsv(headersA, ids.coreEs, `${HEADER}\nchloe@example.org,Chloé,Dubois,2024-04-01\n`);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().credited, 0);
    assert.equal(res.json().rejections[0].code, 'wrong_language');
    assert.match(res.json().rejections[0].reason, /approved for core training in en only, not in es/);
  });

  test('continuing education counts until the day its approval was ended, with the hours each row gives', async () => {
    const res = await postCsv(
      headersA,
      ids.ce,
      ['email,legal_first_name,legal_last_name,completed_on,hours,law_ethics_hours', 'ben@example.org,Ben,Okafor,2025-05-01,10,1', 'ana.garcia@example.org,Ana,García López,2025-05-31,,', 'chloe@example.org,Chloé,Dubois,2025-06-01,,', 'ben@example.org,Ben,Okafor,2025-05-02,20,'].join('\n'),
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().credited, 2);
    assert.deepEqual(res.json().rejections.map((r: { row: number; code: string }) => [r.row, r.code]), [[4, 'approval_ended'], [5, 'bad_hours']]);
    assert.match(res.json().rejections[0].reason, /ended on 2025-06-01 \(Taught a changed curriculum without approval\)/);
    const ben = summarizeTraining(await creditedCompletions(db, people.ben));
    assert.deepEqual([ben.ceHours, ben.lawEthicsHours], [10, 1]);
    const ana = summarizeTraining(await creditedCompletions(db, people.ana));
    assert.deepEqual([ana.ceHours, ana.lawEthicsHours], [14, 6], 'the course’s hours by default');
  });

  test('a specialization roster credits the specialization, uploaded as a form with its file', async () => {
    const form = await multipartBody({ _csrf: headersA['x-csrf-token'] ?? '' }, { file: { filename: 'crisis.csv', type: 'text/csv', content: `${HEADER}\nana.garcia@example.org,Ana,Garcia-Lopez,2025-09-15\n` } });
    const res = await app.inject({ method: 'POST', url: `/api/v1/training/courses/${ids.crisis}/rosters`, headers: { ...headersA, 'content-type': form.contentType }, payload: form.payload });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().filename, 'crisis.csv');
    assert.deepEqual(summarizeTraining(await creditedCompletions(db, people.ana)).specializations, [{ specialization: 'crisis_care', completedOn: '2025-09-15' }]);
  });

  test('a core roster row cannot claim fewer hours than the course', async () => {
    const res = await postCsv(headersA, ids.coreEn, `email,legal_first_name,legal_last_name,completed_on,hours\nchloe@example.org,Chloé,Dubois,2024-05-01,60\n`);
    assert.equal(res.json().rejections[0].code, 'hours_fixed');
  });
});

describe('a file that is not a roster', () => {
  test('is refused whole, naming the missing columns, and writes nothing', async () => {
    const before = (await db.select().from(trainingRosters)).length;
    const res = await postCsv(headersA, ids.coreEn, 'email,name,date\nchloe@example.org,Chloé Dubois,2024-05-02\n');
    assert.equal(res.statusCode, 400);
    assert.match(res.json().detail, /missing the columns legal_first_name, legal_last_name, completed_on/);
    assert.equal((await db.select().from(trainingRosters)).length, before);
  });

  test('a body of another type is refused', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/training/courses/${ids.coreEn}/rosters`, headers: { ...headersA, 'content-type': 'application/json' }, payload: { rows: [] } });
    assert.equal(res.statusCode, 400);
  });
});

describe('a provider’s member acts for that provider only', () => {
  test('cannot upload to another provider’s course: 404, and nothing is credited', async () => {
    const res = await postCsv(headersB, ids.coreEn, `${HEADER}\nchloe@example.org,Chloé,Dubois,2024-06-01\n`);
    assert.equal(res.statusCode, 404);
    assert.equal((await db.select().from(trainingCompletions).where(eq(trainingCompletions.peerId, people.chloe))).length, 1, 'only the earlier core completion');
  });

  test('sees only their own provider on /training and in the API, and not the other’s page', async () => {
    const list = await app.inject({ url: '/training', headers: { ...headersB, accept: 'text/html' } });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Sierra Foothills Trainers/);
    assert.doesNotMatch(list.body, /Golden State Peer Institute/);
    const api = await app.inject({ url: '/api/v1/training/providers', headers: headersB });
    assert.deepEqual(api.json().providers.map((p: { name: string }) => p.name), ['Sierra Foothills Trainers']);
    assert.equal((await app.inject({ url: `/training/providers/${ids.providerA}`, headers: { ...headersB, accept: 'text/html' } })).statusCode, 404);
    assert.equal((await app.inject({ url: `/training/providers/${ids.providerB}`, headers: { ...headersB, accept: 'text/html' } })).statusCode, 200);
    const [rosterOfA] = await db.select().from(trainingRosters).where(eq(trainingRosters.courseId, ids.coreEn));
    assert.equal((await app.inject({ url: `/training/rosters/${rosterOfA?.id}`, headers: { ...headersB, accept: 'text/html' } })).statusCode, 404);
    assert.equal((await app.inject({ url: `/training/rosters/${rosterOfA?.id}`, headers: { ...headersA, accept: 'text/html' } })).statusCode, 200);
  });

  test('cannot post a roster form to the other provider’s page', async () => {
    const form = await multipartBody({ _csrf: headersB['x-csrf-token'] ?? '', rosterCourseId: ids.coreEn }, { rosterFile: { filename: 'x.csv', type: 'text/csv', content: `${HEADER}\nchloe@example.org,Chloé,Dubois,2024-06-02\n` } });
    const res = await app.inject({ method: 'POST', url: `/training/providers/${ids.providerA}/rosters`, headers: { ...headersB, accept: 'text/html', 'content-type': form.contentType }, payload: form.payload });
    assert.equal(res.statusCode, 404);
  });

  test('staff see every provider', async () => {
    const api = await app.inject({ url: '/api/v1/training/providers', headers: await signedIn(app, userActor('certification_staff')) });
    assert.deepEqual(api.json().providers.map((p: { name: string }) => p.name), ['Golden State Peer Institute', 'Sierra Foothills Trainers']);
    const golden = api.json().providers[0];
    assert.deepEqual(golden.approvals.map((a: { trainingType: string; status: string }) => [a.trainingType, a.status]), [['ce', 'ended'], ['core', 'current'], ['specialization', 'current']]);
  });
});

describe('uploading from the provider’s page', () => {
  test('the form carries its CSRF token as a field and leads to the result page', async () => {
    const { 'x-csrf-token': token = '', ...withoutHeader } = headersA;
    const form = await multipartBody({ _csrf: token, rosterCourseId: ids.coreEn }, { rosterFile: { filename: 'spring.csv', type: 'text/csv', content: `${HEADER}\nchloe@example.org,Chloé,Dubois,2024-06-03\n` } });
    const res = await app.inject({ method: 'POST', url: `/training/providers/${ids.providerA}/rosters`, headers: { ...withoutHeader, accept: 'text/html', 'content-type': form.contentType }, payload: form.payload });
    assert.equal(res.statusCode, 303, res.body);
    assert.match(String(res.headers.location), /^\/training\/rosters\/[0-9a-f-]{36}$/);
    const page = await app.inject({ url: String(res.headers.location), headers: { ...headersA, accept: 'text/html' } });
    assert.match(page.body, /1 row\. Credited: 1; not credited: 0\./);
  });

  test('a refused file is shown beside the form, with the course still chosen', async () => {
    const form = await multipartBody({ _csrf: headersA['x-csrf-token'] ?? '', rosterCourseId: ids.ce }, { rosterFile: { filename: 'bad.csv', type: 'text/csv', content: 'email\nana@example.org\n' } });
    const res = await app.inject({ method: 'POST', url: `/training/providers/${ids.providerA}/rosters`, headers: { ...headersA, accept: 'text/html', 'content-type': form.contentType }, payload: form.payload });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="rosterFile-error"/);
    assert.match(res.body, /missing the columns legal_first_name, legal_last_name, completed_on/);
    assert.match(res.body, new RegExp(`<option value="${ids.ce}" selected`));
  });
});
