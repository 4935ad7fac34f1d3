// Browser-test helpers: a real server on a loopback port, a headless Chromium that stays off the network, and an axe check.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
// The named export: the package's types are CommonJS, so under NodeNext its default import is the module object.
import { AxeBuilder } from '@axe-core/playwright';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp } from '../src/testing.ts';

export interface TestServer {
  baseUrl: string;
  /** The app behind it, for fixtures on its database (`databaseOf(app)` from src/testing.ts). */
  app: FastifyInstance;
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
  return { baseUrl: `http://127.0.0.1:${port}`, app, close };
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

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Requests to any host but the local server (USWDS must be served locally, never from a CDN). */
  offHost: string[];
  /** Script errors, console errors and Content-Security-Policy violations (no inline scripts or styles). */
  pageProblems: string[];
}

export interface Journeys {
  /** A fresh browser context (own cookies) and page that records off-host requests and page problems. */
  openPage(options?: { viewport?: { width: number; height: number } }): Promise<Session>;
  /** Close the context and fail if the page fetched off-host or had problems. */
  closePage(session: Session): Promise<void>;
  /** The running server (once the file's tests have started), e.g. to create people in its database. */
  server(): TestServer;
}

/** One server and one browser for a test file, started before its tests and closed after them. */
export function browserJourneys(): Journeys {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    server() {
      assert.ok(server, 'the server did not start');
      return server;
    },
    async openPage(options = {}) {
      assert.ok(server, 'the server did not start');
      assert.ok(browser, 'the browser did not launch');
      const context = await browser.newContext({ baseURL: server.baseUrl, ...(options.viewport ? { viewport: options.viewport } : {}) });
      const page = await context.newPage();
      const offHost: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'data:' || url.protocol === 'blob:') return;
        if (url.hostname !== '127.0.0.1') offHost.push(request.url());
      });
      const pageProblems: string[] = [];
      page.on('pageerror', (error) => pageProblems.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        // A page served with an error status on purpose (400, 404) is reported as a failed load of itself.
        const ownStatus = message.text().startsWith('Failed to load resource') && message.location().url === page.url();
        if ((message.type() === 'error' && !ownStatus) || /Content Security Policy/i.test(message.text())) {
          pageProblems.push(`${page.url()}: ${message.text()}`);
        }
      });
      return { context, page, offHost, pageProblems };
    },
    async closePage({ context, offHost, pageProblems }) {
      await context.close();
      assert.deepEqual(offHost, [], 'the page requested something from a host other than the local server');
      assert.deepEqual(pageProblems, [], 'the page had script or console errors or Content-Security-Policy violations');
    },
  };
}
