// A certified peer as an R4 Practitioner: the certification number is the resource id and the identifier; the
// certification and each credited specialization are qualifications, with Plan-Net's practitioner-qualification
// extension (status, whereValid = CA). Displays are the registry pages' English words.
import type { CertificationStatus } from '../certification/vocabulary.ts';
import { registryEn } from '../registry/locales/en.ts';
import type { Extension, Practitioner, PractitionerQualification } from './fhir.types.ts';
import {
  CERTIFICATION_NUMBER_SYSTEM,
  CERTIFICATION_STATUS_EXTENSION,
  CERTIFICATION_STATUS_SYSTEM,
  CREDENTIAL,
  CREDENTIAL_SYSTEM,
  ISSUER_DISPLAY,
  PLAN_NET_QUALIFICATION_EXTENSION,
  SPECIALIZATION_SYSTEM,
  USPS_SYSTEM,
  planNetQualificationStatus,
} from './fhir.vocabulary.ts';
import type { PractitionerFacts } from './practitioner-facts.ts';

function planNetQualification(status: CertificationStatus | null): Extension {
  return {
    url: PLAN_NET_QUALIFICATION_EXTENSION,
    extension: [
      { url: 'status', valueCode: planNetQualificationStatus(status) },
      { url: 'whereValid', valueCodeableConcept: { coding: [{ system: USPS_SYSTEM, code: 'CA', display: 'California' }] } },
    ],
  };
}

function specializationDisplay(code: string): string {
  return (registryEn.specialization as Record<string, string>)[code] ?? code;
}

export function practitionerResource(facts: PractitionerFacts): Practitioner {
  const { number, legalName, status } = facts;
  const certification: PractitionerQualification = {
    extension: [
      planNetQualification(status),
      ...(status ? [{ url: CERTIFICATION_STATUS_EXTENSION, valueCoding: { system: CERTIFICATION_STATUS_SYSTEM, code: status, display: registryEn.status[status] } }] : []),
    ],
    identifier: [{ system: CERTIFICATION_NUMBER_SYSTEM, value: number }],
    code: { coding: [{ system: CREDENTIAL_SYSTEM, code: CREDENTIAL.code, display: CREDENTIAL.display }], text: CREDENTIAL.display },
    period: { start: facts.issuedOn, end: facts.validThrough },
    issuer: { display: ISSUER_DISPLAY },
  };
  // A specialization is practised under the certification, so it may be relied on exactly when the certification
  // may; it has no end of its own.
  const specializations = facts.specializations.map(
    (s): PractitionerQualification => ({
      extension: [planNetQualification(status)],
      code: { coding: [{ system: SPECIALIZATION_SYSTEM, code: s.specialization, display: specializationDisplay(s.specialization) }], text: specializationDisplay(s.specialization) },
      period: { start: s.completedOn },
      issuer: { display: ISSUER_DISPLAY },
    }),
  );
  return {
    resourceType: 'Practitioner',
    id: number,
    identifier: [{ use: 'official', system: CERTIFICATION_NUMBER_SYSTEM, value: number }],
    active: status === 'active',
    name: [
      {
        use: 'official',
        text: facts.fullName,
        family: legalName.last,
        given: [legalName.first, legalName.middle].filter((part): part is string => part !== null && part.trim() !== ''),
      },
    ],
    qualification: [certification, ...specializations],
  };
}
