// An exclusive lock on the embedded database's directory: two processes writing one PGlite
// directory corrupt it, so the second one must stop with a clear message instead.
import fs from 'node:fs';
import path from 'node:path';

export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dir: string, holder: string): DatabaseLockedError {
  return new DatabaseLockedError(
    `The embedded database in ${dir} is in use by another process (${holder}). ` +
      'Stop that process, choose another directory with --data-dir, or set DATABASE_URL to use PostgreSQL.',
  );
}

function tryCreate(lockPath: string): boolean {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Take the lock or throw DatabaseLockedError. A lock left by a process that no longer runs is taken over. */
export function acquireDirectoryLock(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, 'pss.lock');
  const release = () => fs.rmSync(lockPath, { force: true });
  if (tryCreate(lockPath)) return release;

  const seen = fs.readFileSync(lockPath, 'utf8');
  const holder = Number.parseInt(seen, 10);
  // Our own pid counts as held: a second open in this process would share the directory just the same.
  if (Number.isInteger(holder) && (holder === process.pid || isRunning(holder))) throw lockedError(dir, `pid ${holder}`);

  // Stale. Only one process may take it over: the takeover file serialises them, and the lock is
  // re-read inside so a process that lost the race sees the winner's live pid.
  const takeover = `${lockPath}.takeover`;
  if (!tryCreate(takeover)) throw lockedError(dir, 'another process is starting');
  try {
    if (fs.existsSync(lockPath) && fs.readFileSync(lockPath, 'utf8') !== seen) throw lockedError(dir, 'another process is starting');
    fs.rmSync(lockPath, { force: true });
    if (!tryCreate(lockPath)) throw lockedError(dir, 'another process is starting');
    return release;
  } finally {
    fs.rmSync(takeover, { force: true });
  }
}
