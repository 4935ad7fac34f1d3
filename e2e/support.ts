// Browser-test helpers: a real server on a loopback port, a headless Chromium that stays off the network, and an axe check.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
// The named export: the package's types are CommonJS, so under NodeNext its default import is the module object.
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp } from '../src/testing.ts';

export interface TestServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** The whole app over an in-memory test database, listening on 127.0.0.1 at a free port. */
export async function startServer(): Promise<TestServer> {
  const { app, close } = await createTestApp();
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close };
}

/** Headless Chromium with its background connections switched off (the test machine has loopback only). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}; install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Run axe with the WCAG 2.1 A/AA rules and fail with one line per violating element. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  if (results.violations.length === 0) return;
  const lines = results.violations.flatMap((v) => [
    `${v.id} (${v.impact ?? 'unknown impact'}): ${v.help} — ${v.helpUrl}`,
    ...v.nodes.map((n) => `    ${n.target.map(String).join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`),
  ]);
  assert.fail(`axe found ${results.violations.length} accessibility violation(s) on ${page.url()}:\n${lines.join('\n')}`);
}
