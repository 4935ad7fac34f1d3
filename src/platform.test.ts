// Configuration, dates and the embedded database's lock.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ConfigError, loadConfig } from './config.ts';
import { isIsoDate, todayInCalifornia } from './lib/dates.ts';
import { acquireDirectoryLock, DatabaseLockedError } from './db/lock.ts';

describe('configuration', () => {
  test('has defaults for a zero-setup start', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.dataDir, path.resolve('.data'));
    assert.equal(config.databaseUrl, undefined);
  });

  test('command-line flags win over the environment', () => {
    const config = loadConfig({ PORT: '4000', PSS_DATA_DIR: '/tmp/a' }, { port: 5000, dataDir: '/tmp/b' });
    assert.equal(config.port, 5000);
    assert.equal(config.dataDir, '/tmp/b');
  });

  test('names every bad variable', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' }), (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /PORT/);
      assert.match(err.message, /DATABASE_URL/);
      return true;
    });
    assert.throws(() => loadConfig({}, { port: 70000 }), /--port/);
  });

  test('an empty variable counts as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', PSS_DATA_DIR: '' });
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.dataDir, path.resolve('.data'));
  });

  test('proxies are not trusted unless configured', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  });
});

describe('dates', () => {
  test('only real calendar dates written YYYY-MM-DD are accepted', () => {
    assert.equal(isIsoDate('2024-02-29'), true);
    assert.equal(isIsoDate('2025-02-29'), false);
    assert.equal(isIsoDate('2025-2-1'), false);
    assert.equal(isIsoDate('2025-02-01T00:00'), false);
    assert.equal(isIsoDate('0000-01-01'), false, 'PostgreSQL has no year 0');
    assert.equal(isIsoDate('0001-01-01'), true);
  });

  test("today is California's date, not UTC's", () => {
    // 2025-03-01 05:00 UTC is still February 28 in Los Angeles.
    assert.equal(todayInCalifornia(new Date('2025-03-01T05:00:00Z')), '2025-02-28');
  });
});

describe('the embedded database lock', () => {
  test('a second holder is refused while the first runs, and the lock is free after release', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      fs.writeFileSync(path.join(dir, 'pss.lock'), String(holder.pid));
      assert.throws(() => acquireDirectoryLock(dir), (err: Error) => err instanceof DatabaseLockedError && /in use by another process/.test(err.message));
    } finally {
      holder.kill();
    }
    fs.rmSync(path.join(dir, 'pss.lock'));
    const release = acquireDirectoryLock(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'pss.lock'), 'utf8'), String(process.pid));
    release();
    assert.equal(fs.existsSync(path.join(dir, 'pss.lock')), false);
  });

  test('the same process cannot open the directory twice', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-lock-'));
    const release = acquireDirectoryLock(dir);
    assert.throws(() => acquireDirectoryLock(dir), /in use by another process \(pid \d+\)/);
    release();
  });

  test('a lock left by a process that has exited is taken over', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-lock-'));
    fs.writeFileSync(path.join(dir, 'pss.lock'), '2147483646');
    const release = acquireDirectoryLock(dir);
    release();
  });
});

describe('the embedded database lock under a race', () => {
  test('when two processes find the same stale lock, only one takes it over', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-lock-'));
    fs.writeFileSync(path.join(dir, 'pss.lock'), '2147483646');
    // Another process is mid-takeover: it holds the takeover file.
    fs.writeFileSync(path.join(dir, 'pss.lock.takeover'), '1');
    assert.throws(() => acquireDirectoryLock(dir), /another process is starting/);
    fs.rmSync(path.join(dir, 'pss.lock.takeover'));
    const release = acquireDirectoryLock(dir);
    assert.equal(fs.existsSync(path.join(dir, 'pss.lock.takeover')), false);
    release();
  });
});

describe('production configuration', () => {
  test('needs PUBLIC_URL, so links in email never come from a Host header', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /PUBLIC_URL: required in production/);
    assert.equal(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://pss.example.org' }).publicUrl, 'https://pss.example.org');
  });

  test('with a shared PostgreSQL database, needs FIELD_ENCRYPTION_KEY (a key file on one machine would lock the others out)', () => {
    const base = { NODE_ENV: 'production', PUBLIC_URL: 'https://pss.example.org', DATABASE_URL: 'postgres://db.example.org/pss' };
    assert.throws(() => loadConfig(base), /FIELD_ENCRYPTION_KEY: required in production/);
    assert.equal(loadConfig({ ...base, FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }).fieldEncryption.keyId, 'k1');
  });
});
