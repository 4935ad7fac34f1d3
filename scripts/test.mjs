#!/usr/bin/env node
// `npm test`: type-check, lint, every test on the embedded database, the integration tests again on PostgreSQL
// when TEST_DATABASE_URL is set, and the browser journeys when Chromium is found. With CI=true, PostgreSQL and
// Chromium are mandatory. Ends with one line: "N passed, N failed".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const ci = process.env.CI === 'true';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const only = process.argv.slice(2); // optional: test files to run instead of the whole suite

function findTests(dir, suffix) {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Run test files with node's runner: spec output for people, TAP to a file for the totals. */
async function runTests(label, files, env = {}) {
  if (files.length === 0) return { passed: 0, failed: 0 };
  const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pss-test-')), 'results.tap');
  process.stdout.write(`\n== ${label}: ${files.length} files ==\n`);
  const code = await run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    env,
  );
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  // A runner that died without reporting failures still failed.
  const failed = count('fail') + (code !== 0 && count('fail') === 0 ? 1 : 0);
  return { passed, failed };
}

async function check(label, cmd, args) {
  process.stdout.write(`\n== ${label} ==\n`);
  const code = await run(cmd, args);
  process.stdout.write(code === 0 ? `${label}: ok\n` : `${label}: FAILED\n`);
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

const results = [];
const problems = [];

if (only.length > 0) {
  results.push(await runTests('selected tests', only));
} else {
  results.push(await check('typecheck', bin('tsc'), ['--noEmit']));
  results.push(await check('lint', bin('eslint'), ['.']));

  results.push(await runTests('unit and integration tests (embedded database)', findTests('src', '.test.ts')));

  const integration = findTests('src', '.integration.test.ts');
  if (process.env.TEST_DATABASE_URL) {
    results.push(await runTests('integration tests (PostgreSQL)', integration, { PSS_TEST_DRIVER: 'postgres' }));
  } else if (ci) {
    problems.push('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL integration tests are mandatory in CI.');
  } else {
    process.stdout.write('\n(PostgreSQL integration tests skipped: set TEST_DATABASE_URL to run them.)\n');
  }

  if (fs.existsSync(chromium)) {
    results.push(await runTests('browser journeys (Chromium)', findTests('e2e', '.e2e.test.ts'), { CHROMIUM_PATH: chromium }));
  } else if (ci) {
    problems.push(`CI=true but Chromium was not found at ${chromium}: the browser journeys are mandatory in CI.`);
  } else {
    process.stdout.write(`\n(Browser journeys skipped: no Chromium at ${chromium}.)\n`);
  }
}

for (const p of problems) process.stdout.write(`\nerror: ${p}\n`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + problems.length;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
