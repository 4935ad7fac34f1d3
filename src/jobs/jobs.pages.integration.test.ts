// /admin/jobs: a system administrator sees the scheduled jobs and runs one now; nobody else may.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../access/roles.ts';
import { actorHeaders } from '../accounts/testing.ts';
import { searchAudit } from '../audit/audit.service.ts';
import { applications, peers } from '../certification/certification.schema.ts';
import { addDays, todayInCalifornia } from '../lib/dates.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { scheduledJobs } from './jobs.schema.ts';

let testApp: TestApp;
let app: FastifyInstance;
let admin: Record<string, string>;
before(async () => {
  testApp = await createTestApp();
  app = testApp.app;
  admin = await as('system_admin');
});
after(() => testApp.close());

const as = (role: Role) => actorHeaders(app, { kind: 'user', userId: randomUUID(), roles: [{ role, countyFips: null }] });
const html = { accept: 'text/html' };
const page = (headers: Record<string, string>, query = '') => app.inject({ url: `/admin/jobs${query}`, headers: { ...headers, ...html } });
const run = (name: string, headers = admin, csrf = headers['x-csrf-token'] ?? '') =>
  app.inject({
    method: 'POST',
    url: '/admin/jobs/run',
    headers: { ...headers, ...html, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, name }).toString(),
  });

describe('the jobs page', () => {
  test('lists every job with how often it runs, never run yet, and a Run now form with the CSRF token', async () => {
    const res = await page(admin);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /<h1>Scheduled jobs<\/h1>/);
    for (const name of ['certifications.expire', 'certifications.vacate', 'certifications.remind', 'applications.expire_approvals']) {
      assert.match(res.body, new RegExp(`data-job="${name.replace('.', '\\.')}"`), name);
    }
    assert.match(res.body, /Expire certifications/);
    assert.match(res.body, /Every 1 h/);
    assert.match(res.body, /Never run/);
    assert.match(res.body, /<form method="post" action="\/admin\/jobs\/run"/);
    assert.match(res.body, /name="_csrf" value="[^"]+"/);
    assert.match(res.body, /<input type="hidden" name="name" value="certifications.remind"/);
    assert.match(res.body, /Run now: Renewal reminders/);
  });

  test('is in Spanish too', async () => {
    const res = await page(admin, '?lang=es');
    assert.match(res.body, /<h1>Tareas programadas<\/h1>/);
    assert.match(res.body, /Vencer certificaciones/);
    assert.match(res.body, /Cada 1 h/);
    assert.match(res.body, /Nunca se ha ejecutado/);
  });

  test('is for system administrators only', async () => {
    assert.equal((await page({})).statusCode, 401);
    assert.equal((await page(await as('certification_staff'))).statusCode, 403);
    const analyst = await as('dhcs_analyst');
    assert.equal((await run('applications.expire_approvals', analyst)).statusCode, 403);
  });
});

describe('running a job now', () => {
  test('an approval that ran out yesterday expires, the page shows the result, and the audit log says who ran it', async () => {
    const db = testApp.database.db;
    const [peer] = await db.insert(peers).values({ legalFirstName: 'Lupe', legalLastName: 'Applicant' }).returning();
    assert.ok(peer);
    await db.insert(applications).values({ number: 'APP-PAGE-1', peerId: peer.id, pathway: 'initial', status: 'approved', validThrough: addDays(todayInCalifornia(), -1) });

    const res = await run('applications.expire_approvals');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /Expire stale approvals ran\./);
    assert.match(res.body, /data-testid="run-result"><div><p class="margin-0">due 1 · expired 1 · failed 0<\/p>/);
    const [application] = await db.select().from(applications).where(eq(applications.number, 'APP-PAGE-1'));
    assert.equal(application?.status, 'application_expired');

    const [row] = await db.select().from(scheduledJobs).where(eq(scheduledJobs.name, 'applications.expire_approvals'));
    assert.deepEqual(row?.lastResult, { due: 1, expired: 1, failed: 0, failures: [] });
    const { rows } = await searchAudit(db, { action: 'job.run', entityId: 'applications.expire_approvals' });
    assert.equal(rows[0]?.actorRole, 'system_admin');

    const listed = await page(admin);
    assert.doesNotMatch(listed.body.split('data-job="applications.expire_approvals"')[1]?.split('</tr>')[0] ?? '', /Never run/);
  });

  test('a job another instance is running is refused with 409 and the page says so', async () => {
    const db = testApp.database.db;
    await db.insert(scheduledJobs).values({ name: 'certifications.vacate', intervalSeconds: 3600 }).onConflictDoNothing();
    await db
      .update(scheduledJobs)
      .set({ lockedUntil: sql`now() + interval '10 minutes'`, lockedBy: 'pss-2:4242', lastStartedAt: sql`now()` })
      .where(eq(scheduledJobs.name, 'certifications.vacate'));
    const res = await run('certifications.vacate');
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /The job certifications.vacate is already running on pss-2:4242/);
    assert.match(res.body, /Running since .* on pss-2:4242/);
  });

  test('an unknown job is a 404; a post without the CSRF token is refused', async () => {
    const unknown = await run('certifications.delete_everything');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /There is no scheduled job named &quot;certifications.delete_everything&quot;/);
    assert.equal((await run('certifications.expire', admin, '')).statusCode, 403);
  });
});
