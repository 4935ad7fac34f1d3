// Reference data every installation needs, and demo data for trying the platform out.
import type { Db } from './client.ts';
import { seedCountyReference, seedInitialParticipation } from '../counties/seed-counties.ts';
import { demoAccounts, demoSignInList, seedDemoAccounts } from '../accounts/demo-accounts.ts';
import { seedProgramRules } from '../rules/rules.service.ts';
import { seedHolidays } from '../enforcement/holiday-calendar.ts';
import { seedDemoTraining } from '../training/demo-training.ts';
import { seedDemoCertification } from '../certification/demo-certification.ts';
import { seedDemoEnforcement } from '../enforcement/demo-enforcement.ts';
import { seedDemoServices } from '../encounters/demo-services.ts';
import type { DocumentStorage } from '../storage/document-storage.ts';
import type { FieldCipher } from '../lib/field-crypto.ts';

export type Progress = (step: string) => void;

/** What demo steps may need beyond the database. */
export interface SeedDeps {
  storage: DocumentStorage;
  fieldCipher: FieldCipher;
}

interface SeedStep {
  label: string;
  run(db: Db, deps: SeedDeps): Promise<unknown>;
}

/** Reference data, in dependency order. Every step is idempotent. */
const REFERENCE_STEPS: SeedStep[] = [
  { label: 'counties, plans and delivery systems', run: seedCountyReference },
  { label: 'county participation (DHCS, February 2025)', run: seedInitialParticipation },
  { label: 'program rules (fees, terms, limits)', run: seedProgramRules },
  { label: 'California state holidays (business-day clocks)', run: (db) => seedHolidays(db) },
];

/**
 * Demo data, clearly fictional, for trying the platform. Each domain adds its own step as it lands; county
 * participation needs none because its reference data is real.
 */
const DEMO_STEPS: SeedStep[] = [
  { label: 'demo accounts, one per role', run: seedDemoAccounts },
  { label: 'demo training providers and courses', run: seedDemoTraining },
  { label: 'demo applicants and certified peers, at every step', run: seedDemoCertification },
  { label: 'demo complaints, one at each clock state', run: seedDemoEnforcement },
  { label: 'demo provider organization, members and services', run: seedDemoServices },
];

async function runSteps(db: Db, steps: SeedStep[], progress: Progress, deps: SeedDeps): Promise<void> {
  for (const [i, step] of steps.entries()) {
    progress(`[${i + 1}/${steps.length}] ${step.label}`);
    await step.run(db, deps);
  }
}

export async function seedReferenceData(db: Db, progress: Progress = () => {}): Promise<void> {
  // Reference data writes no documents.
  const none = () => {
    throw new Error('reference data writes no documents and no member records');
  };
  await runSteps(db, REFERENCE_STEPS, progress, { storage: { put: none, get: none }, fieldCipher: { encrypt: none, decrypt: none, index: none, indexes: none } });
}

/** Load the demo data and return what a newcomer needs to know to use it (the demo sign-in list). */
export async function seedDemoData(db: Db, deps: SeedDeps, progress: Progress = () => {}): Promise<string> {
  await runSteps(db, DEMO_STEPS, progress, deps);
  return demoSignInList(demoAccounts());
}
