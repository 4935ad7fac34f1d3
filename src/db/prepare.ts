// Bring a database up to date: migrations, then reference data. Safe to run from several processes at once.
import type { Database } from './client.ts';
import { migrate } from './migrate.ts';
import { seedReferenceData, type Progress } from './seed.ts';

export async function prepareDatabase(database: Database, progress: Progress = () => {}): Promise<void> {
  await database.exclusive(async () => {
    progress('Applying migrations');
    await migrate(database);
    progress('Loading reference data');
    await seedReferenceData(database.db, (step) => progress(`  ${step}`));
  });
}
