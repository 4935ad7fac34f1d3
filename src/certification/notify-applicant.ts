// Emails to an applicant when their application moves, in their language, with a link to their status page. Queued
// in the caller's transaction (the outbox), so a rolled-back decision sends nothing.
import { queueEmail } from '../accounts/outbox.ts';
import type { Db } from '../db/client.ts';
import type { PeerRow } from './peer-record.ts';

export type ApplicantNotice = 'approved' | 'denied' | 'revision_requested' | 'certified' | 'exam_authorized' | 'exam_failed' | 'attempts_exhausted';

const SUBJECTS: Record<'en' | 'es', Record<ApplicantNotice, string>> = {
  en: {
    approved: 'Your peer support certification application was approved',
    denied: 'Decision on your peer support certification application',
    revision_requested: 'Your application needs changes',
    certified: 'You are a Certified Medi-Cal Peer Support Specialist',
    exam_authorized: 'You are authorized to take the certification exam',
    exam_failed: 'Your exam result',
    attempts_exhausted: 'Your exam result',
  },
  es: {
    approved: 'Su solicitud de certificación de apoyo entre pares fue aprobada',
    denied: 'Decisión sobre su solicitud de certificación de apoyo entre pares',
    revision_requested: 'Su solicitud necesita cambios',
    certified: 'Usted es Especialista Certificado en Apoyo entre Pares de Medi-Cal',
    exam_authorized: 'Está autorizado para tomar el examen de certificación',
    exam_failed: 'El resultado de su examen',
    attempts_exhausted: 'El resultado de su examen',
  },
};

const CLOSING = {
  en: 'See your application, what is missing and your next steps at',
  es: 'Vea su solicitud, lo que falta y sus próximos pasos en',
};

export async function notifyApplicant(tx: Db, peer: PeerRow, notice: ApplicantNotice, details: string, baseUrl = ''): Promise<void> {
  if (!peer.email) return;
  const lang = peer.preferredLanguage === 'es' ? 'es' : 'en';
  await queueEmail(tx, { to: peer.email, subject: SUBJECTS[lang][notice], text: `${details}\n\n${CLOSING[lang]} ${baseUrl}/my-certification` });
}
