// The program's rules for a documented service, as one pure function over the facts as of the date of service
// (PROGRAM.md §12–13: pre-bill checks). Each failure has a code, a plain message and the field it is about; the
// form shows them beside the fields, the API returns them, and an encounter with any is not billable.
import { addBusinessDays } from '../lib/business-days.ts';
import type { CertificationStatus } from '../certification/vocabulary.ts';
import { minutesBetween, type Component, type Modality, type ValidationFailure } from './encounters.types.ts';

export interface EncounterToValidate {
  serviceDate: string;
  startTime: string | null;
  endTime: string | null;
  minutes: number;
  component: Component;
  deliverySystem: string;
  modality: Modality;
  telehealthConsent: string | null;
  carePlanReference: string | null;
  noteNarrative: string;
  noteNextSteps: string;
  signedOn: string | null;
  cosigned: boolean;
}

export interface EncounterFacts {
  today: string;
  holidays: ReadonlySet<string>;
  rules: {
    noteDueBusinessDays: number;
    maxMinutes: number;
    carePlanRequired: boolean;
    cosignRequired: boolean;
    supervisorTrainingRequired: boolean;
    telehealthConsentRequired: boolean;
  };
  peerNumber: string;
  /** The certification's status on the date of service (null: none). */
  certificationStatus: CertificationStatus | null;
  employed: boolean;
  organizationName: string;
  /** Contracted organizations need a contract for the delivery system; county-operated ones are the county's own. */
  contracted: boolean | 'county_operated';
  supervision: { supervisorName: string; trainingCompletedOn: string | null } | null;
  countyName: string;
  countyParticipates: boolean;
  participants: ReadonlyArray<{ id: string; name: string; eligible: boolean }>;
  /** Other encounters of the same peer that day whose times overlap this one. */
  overlapping: ReadonlyArray<{ startTime: string; endTime: string }>;
}

const SYSTEM_NAMES: Record<string, string> = { SMHS: 'Specialty Mental Health Services', DMC: 'the DMC State Plan', DMC_ODS: 'DMC-ODS' };

/** The note is due this day: the configured number of business days after the service. */
export function noteDueOn(serviceDate: string, facts: Pick<EncounterFacts, 'holidays' | 'rules'>): string {
  return addBusinessDays(serviceDate, facts.rules.noteDueBusinessDays, facts.holidays);
}

export function validateEncounter(e: EncounterToValidate, facts: EncounterFacts): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  const fail = (code: string, message: string, field?: string) => failures.push({ code, message, ...(field ? { field } : {}) });
  const on = e.serviceDate;
  const system = SYSTEM_NAMES[e.deliverySystem] ?? e.deliverySystem;

  if (on > facts.today) fail('date.future', `The date of service ${on} is in the future.`, 'serviceDate');
  if (facts.certificationStatus !== 'active') {
    fail('peer.not_certified', facts.certificationStatus === null ? `${facts.peerNumber} was not yet certified on ${on}.` : `${facts.peerNumber} was ${facts.certificationStatus} on ${on}; only an active certification may provide the service.`, 'peerNumber');
  }
  if (!facts.employed) fail('peer.not_employed', `${facts.peerNumber} was not employed by ${facts.organizationName} on ${on}.`, 'peerNumber');
  if (facts.supervision === null) {
    fail('supervision.missing', `No supervisor was assigned to ${facts.peerNumber} on ${on}.`, 'peerNumber');
  } else if (facts.rules.supervisorTrainingRequired && (facts.supervision.trainingCompletedOn === null || facts.supervision.trainingCompletedOn > on)) {
    fail('supervision.training', `The supervisor, ${facts.supervision.supervisorName}, had not completed the required supervisor training by ${on}.`, 'peerNumber');
  }
  if (!facts.countyParticipates) fail('county.not_participating', `${facts.countyName} did not take part in peer support services in ${system} on ${on}.`, 'deliverySystem');
  if (facts.contracted === false) fail('organization.not_contracted', `${facts.organizationName} had no ${system} contract on ${on}.`, 'deliverySystem');
  for (const p of facts.participants) {
    if (!p.eligible) fail('member.not_eligible', `${p.name} was not eligible for Medi-Cal on ${on} (no eligibility period covers it).`, 'participantIds');
  }

  if (e.startTime && e.endTime && minutesBetween(e.startTime, e.endTime) <= 0) fail('time.order', 'The end time comes after the start time.', 'endTime');
  if (e.minutes <= 0) fail('minutes.not_positive', 'The service lasted no time; give its minutes.', 'minutes');
  else if (e.minutes > facts.rules.maxMinutes) fail('minutes.over_limit', `${e.minutes} minutes is more than the ${facts.rules.maxMinutes} one service may last.`, 'minutes');
  if (e.startTime && e.endTime && minutesBetween(e.startTime, e.endTime) > 0 && minutesBetween(e.startTime, e.endTime) !== e.minutes) {
    fail('minutes.mismatch', `${e.startTime} to ${e.endTime} is ${minutesBetween(e.startTime, e.endTime)} minutes, not ${e.minutes}.`, 'minutes');
  }
  for (const o of facts.overlapping) fail('encounter.overlap', `${facts.peerNumber} has another service on ${on} from ${o.startTime} to ${o.endTime}.`, 'startTime');

  if (e.modality !== 'in_person' && facts.rules.telehealthConsentRequired && !e.telehealthConsent) {
    fail('telehealth.consent', 'A video or audio-only service needs the member’s verbal or written consent on record.', 'telehealthConsent');
  }
  if (facts.rules.carePlanRequired && !e.carePlanReference) fail('care_plan.missing', 'Give the reference of the member’s care plan this service follows.', 'carePlanReference');
  if (e.noteNarrative.trim() === '') fail('note.narrative', 'Write the progress note: what happened in the service.', 'noteNarrative');
  if (e.noteNextSteps.trim() === '') fail('note.next_steps', 'Write the next steps.', 'noteNextSteps');
  const due = noteDueOn(on, facts);
  if (e.signedOn === null) {
    fail(facts.today > due ? 'note.late' : 'note.unsigned', facts.today > due ? `The note was due, signed, by ${due} and is still unsigned.` : `The peer signs the note (due by ${due}).`, 'sign');
  } else if (e.signedOn > due) {
    fail('note.late', `The note was signed on ${e.signedOn}, after it was due (${due}).`, 'sign');
  }
  if (facts.rules.cosignRequired && !e.cosigned) fail('cosign.missing', 'The supervisor co-signs the note.', 'sign');
  return failures;
}
