// Helpers for the CLI stories: spawn the real `pss` (bin/pss.mjs) in a temporary workspace, the way an operator would.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PSS = path.join(ROOT, 'bin', 'pss.mjs');
/** The DHCS page as of February 2025: also what `pss migrate` loads as reference data. */
export const REAL_PAGE = path.join(ROOT, 'src', 'counties', 'data', 'dhcs-2025-02.txt');
/** The real page with Amador's row removed, Mono changed to DMC-ODS & SMHS, and Napa added as SMHS Only (rows renumbered). */
export const CHANGED_PAGE = fileURLToPath(new URL('./fixtures/dhcs-2025-07-changed.txt', import.meta.url));

export const STORY = { timeout: 60_000 };
/** The import story spawns the CLI eight times; on a loaded machine that can approach a minute. */
export const LONG_STORY = { timeout: 120_000 };
export const SPAWN_TIMEOUT_MS = 45_000;

// ---------------------------------------------------------------------------------------------
// Helpers

export interface Workspace {
  /** A fresh temporary directory; the CLI runs with it as its working directory. */
  root: string;
  /** Where `--data-dir` points. Not created until the CLI creates it. */
  dataDir: string;
  /** Variables to set for the CLI on top of the operator environment below. */
  env?: Record<string, string>;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ParticipationList {
  asOf: string;
  participatingCount: number;
  counties: Array<{ fips: string; name: string; deliverySystems: string[] }>;
}

export interface CountyDetail {
  fips: string;
  name: string;
  history: Array<{ deliverySystem: string; from: string; to: string | null }>;
}

export interface DryRun {
  counties: Array<{ county: string; fips: string; deliverySystems: string[] }>;
  warnings: Array<{ code: string; message: string }>;
}

/** A fresh temp directory for one story, removed when the story ends. */
export function workspace(t: TestContext): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-cli-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return { root, dataDir: path.join(root, 'data') };
}

/** The environment of an operator without PostgreSQL: no DATABASE_URL, so the embedded database is used. */
export function cliEnv(ws: Workspace): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.PORT;
  delete env.NODE_TEST_CONTEXT;
  // Should a command ignore --data-dir, it lands here (inside the workspace), never in the repository.
  env.PSS_DATA_DIR = path.join(ws.root, 'env-data-dir');
  return { ...env, ...ws.env };
}

export function spawnPss(ws: Workspace, args: string[]): ChildProcess {
  return spawn(process.execPath, [PSS, ...args], { cwd: ws.root, env: cliEnv(ws), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run `pss ARGS…` to completion. */
export function pss(ws: Workspace, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnPss(ws, args);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function describeRun(run: Run): string {
  return `exit ${run.code ?? run.signal}\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
}

export function assertSucceeded(run: Run): void {
  assert.equal(run.code, 0, `expected success, got ${describeRun(run)}`);
}

/** The command failed, and its error message (on stderr) matches. */
export function assertRefused(run: Run, message: RegExp): void {
  assert.notEqual(run.code, 0, `expected failure, got ${describeRun(run)}`);
  assert.equal(run.signal, null, `expected an exit, not a signal: ${describeRun(run)}`);
  assert.match(run.stderr, message, describeRun(run));
  assert.doesNotMatch(run.stderr, /unexpected error/, `a user error was reported as a crash: ${describeRun(run)}`);
}

export function jsonOf<T>(run: Run): T {
  assertSucceeded(run);
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    assert.fail(`stdout is not JSON: ${describeRun(run)}`);
  }
}

export async function listCounties(ws: Workspace, asOf: string): Promise<ParticipationList> {
  return jsonOf<ParticipationList>(await pss(ws, 'counties', 'list', '--as-of', asOf, '--json', '--data-dir', ws.dataDir));
}

export function systemsOf(list: ParticipationList, name: string): string[] {
  const county = list.counties.find((c) => c.name === name);
  assert.ok(county, `${name} is missing from the list`);
  return county.deliverySystems;
}

/** Write a page into the workspace and return its path. */
export function writePage(ws: Workspace, name: string, text: string): string {
  const file = path.join(ws.root, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Every file under a directory with its size and mtime, to show nothing was written. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const stat = fs.statSync(file);
    files.set(path.relative(dir, file), `${stat.size}@${stat.mtimeMs}`);
  }
  return files;
}

export interface Server {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM, then wait for the process to exit; resolves to its exit code. */
  stop(): Promise<number | null>;
}

/** Start `pss serve …` and wait until it says it is running; killed when the story ends, whatever happens. */
export function startServer(t: TestContext, ws: Workspace, ...args: string[]): Promise<Server> {
  const child = spawnPss(ws, ['serve', ...args]);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let stderr = '';
  child.stdout?.resume();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), SPAWN_TIMEOUT_MS);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const running = /is running at (\S+)/.exec(stderr);
      if (!running?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: running[1],
        child,
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it started:\n${stderr}`));
    });
  });
}

