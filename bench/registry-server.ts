// The app for bench/registry.bench.ts, in its own process so the load generator (autocannon) does not share its
// event loop: listens on 127.0.0.1 on a free port, tells the parent the port, and closes when asked.
// Usage (by the bench, through child_process.fork): registry-server.ts <postgres-url>
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/client.ts';
import { localDirectoryStorage } from '../src/storage/document-storage.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: registry-server.ts <postgres-url>');
// The bench sends tens of thousands of requests a second from one address: the site-wide limit is raised the way an
// operator would (RATE_LIMIT_PER_MINUTE), so what is measured is the app, not the limiter.
const config = loadConfig({ ...process.env, RATE_LIMIT_PER_MINUTE: '1000000000', SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000000000' });
const database = await openDb({ databaseUrl: url });
const documentsDir = await mkdtemp(path.join(os.tmpdir(), 'pss-bench-documents-'));
const app = await buildApp({
  config: { env: 'test', logLevel: 'silent', rateLimits: config.rateLimits },
  database,
  logger: false,
  storage: localDirectoryStorage(documentsDir),
});
await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ port: (app.server.address() as AddressInfo).port });
process.on('message', (message) => {
  if (message !== 'close') return;
  void (async () => {
    await app.close();
    await database.close();
    await rm(documentsDir, { recursive: true, force: true });
    process.exit(0);
  })();
});
