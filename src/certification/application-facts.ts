// The facts an application is judged on, gathered in one place for submission and for the status page's
// "what is missing" list, so both always agree.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { addYears } from '../lib/dates.ts';
import { rulesAsOf } from '../rules/rules.service.ts';
import { creditedCompletions, summarizeTraining } from '../training/training-credit.ts';
import type { ApplicationRow } from './application-status.ts';
import type { Answers } from './application.types.ts';
import { certifications } from './certification.schema.ts';
import { eligibilityProblems, type EligibilityFacts, type Problem } from './eligibility.ts';
import { applicationDocuments } from './save-application.ts';
import type { CertificationStatus, DocumentKind, Pathway } from './vocabulary.ts';

export async function gatherFacts(db: Db, application: ApplicationRow, today: string): Promise<EligibilityFacts> {
  const rules = await rulesAsOf(db, today);
  const docs = await applicationDocuments(db, application.id);
  const pathway = application.pathway as Pathway;
  const facts: EligibilityFacts = { pathway, answers: application.answers as Answers, documents: new Set(docs.map((d) => d.kind as DocumentKind)), rules, today };
  if (pathway === 'reciprocity') {
    facts.recentTraining = summarizeTraining(await creditedCompletions(db, application.peerId, { from: addYears(today, -rules['reciprocity.ce_lookback_years']) }));
  }
  if ((pathway === 'renewal' || pathway === 'reinstatement') && application.certificationId) {
    const [cert] = await db.select().from(certifications).where(eq(certifications.id, application.certificationId));
    if (cert) {
      const training = summarizeTraining(await creditedCompletions(db, application.peerId, { from: cert.issuedOn }));
      const refresher = summarizeTraining(await creditedCompletions(db, application.peerId, { from: cert.expiresOn }));
      facts.renewal = { status: cert.status as CertificationStatus, expiresOn: cert.expiresOn, training, refresherCompletedOn: refresher.coreCompletedOn };
    }
  }
  return facts;
}

export async function applicationProblems(db: Db, application: ApplicationRow, today: string): Promise<Problem[]> {
  return eligibilityProblems(await gatherFacts(db, application, today));
}
