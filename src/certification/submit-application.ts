// Submitting an application: every requirement checked with its reason, the Code of Ethics signed (the text seen is
// stored with the time), the fees charged on the first submission, and the application joins the review queue.
import { auditContext, todayOf, type UseCaseContext } from '../access/context.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { loadOwnApplication, requireEditable } from './application-access.ts';
import { gatherFacts } from './application-facts.ts';
import { transitionApplication } from './application-status.ts';
import { Signature, type Answers } from './application.types.ts';
import { ethicsAffirmations } from './certification.schema.ts';
import { CODE_OF_ETHICS_TEXT, CODE_OF_ETHICS_VERSION } from './code-of-ethics.ts';
import { eligibilityProblems } from './eligibility.ts';
import { chargeFee, feesOfApplication } from './fees.ts';
import type { FeeKind, Pathway } from './vocabulary.ts';
import { recordAudit } from '../audit/audit.service.ts';

function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The signature must be the legal name the applicant gave (with or without the middle name). */
export function signatureMatches(signedName: string, a: Answers): boolean {
  const first = a.legalFirstName ?? '';
  const last = a.legalLastName ?? '';
  const candidates = [`${first} ${last}`, `${first} ${a.legalMiddleName ?? ''} ${last}`];
  return candidates.some((c) => normalizeName(c) === normalizeName(signedName));
}

function feesFor(pathway: Pathway, lateAfterExpiry: boolean): FeeKind[] {
  switch (pathway) {
    case 'initial':
    case 'reciprocity':
    case 'grandparenting':
      return ['application'];
    case 'renewal':
      return lateAfterExpiry ? ['renewal', 'late_renewal'] : ['renewal'];
    case 'reinstatement':
      return ['reinstatement', 'late_renewal'];
  }
}

export async function submitApplication(db: Db, input: { applicationId: string; signedName: unknown; ethicsAffirmed: unknown }, context: UseCaseContext) {
  const { application } = await loadOwnApplication(db, input.applicationId, context);
  requireEditable(application);
  const today = todayOf(context);
  const facts = await gatherFacts(db, application, today);
  const problems = eligibilityProblems(facts);
  const signature = Signature.safeParse({ signedName: input.signedName, ethicsAffirmed: input.ethicsAffirmed });
  if (!signature.success) {
    for (const issue of signature.error.issues) problems.push({ code: 'ethics.affirmation', path: String(issue.path[0] ?? 'ethicsAffirmed'), message: issue.message });
  } else if (!signatureMatches(signature.data.signedName, facts.answers)) {
    problems.push({ code: 'ethics.signature_mismatch', path: 'signedName', message: 'Sign with your legal name exactly as you entered it.' });
  }
  if (problems.length > 0 || !signature.success) {
    const first = problems[0];
    throw new AppError('rule-violation', first?.message ?? 'The application cannot be submitted yet.', problems.map((p) => ({ path: p.path, message: p.message })), first?.code);
  }
  return db.transaction(async (tx) => {
    await tx.insert(ethicsAffirmations).values({
      peerId: application.peerId,
      applicationId: application.id,
      codeVersion: CODE_OF_ETHICS_VERSION,
      text: CODE_OF_ETHICS_TEXT,
      signedName: signature.data.signedName,
    });
    await recordAudit(tx, { ...auditContext(context), action: 'ethics.affirm', entityType: 'application', entityId: application.number, changes: [{ field: 'codeVersion', before: null, after: CODE_OF_ETHICS_VERSION }] });
    // Fees are charged once per application: a resubmission after a revision request charges nothing.
    if ((await feesOfApplication(tx, application.id)).length === 0) {
      const late = facts.renewal !== undefined && today >= facts.renewal.expiresOn;
      for (const kind of feesFor(application.pathway as Pathway, late)) await chargeFee(tx, { peerId: application.peerId, applicationId: application.id, kind, chargedOn: today }, context);
    }
    return transitionApplication(tx, application, 'submitted', context, { patch: { submittedAt: new Date(), revisionItems: [] } });
  });
}
