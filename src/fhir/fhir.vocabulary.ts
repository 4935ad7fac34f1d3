// The URIs and codes our FHIR resources use. Ours live under https://calmhsa.org/fhir/, the certifying entity's
// domain, so they name the same thing on every deployment (a deployment's host is no identity of a number).
import type { CertificationStatus } from '../certification/vocabulary.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const FHIR_VERSION = '4.0.1';

const OURS = 'https://calmhsa.org/fhir';
/** Identifier system of certification numbers (PSS-100001): our chosen system, there is no public OID for them. */
export const CERTIFICATION_NUMBER_SYSTEM = `${OURS}/sid/medi-cal-peer-support-certification`;
/** Code system of the credential itself. */
export const CREDENTIAL_SYSTEM = `${OURS}/CodeSystem/peer-support-credential`;
export const CREDENTIAL = { code: 'CMPSS', display: 'Certified Medi-Cal Peer Support Specialist' } as const;
/** Code system of DHCS's four specializations; the codes are ours (src/certification/vocabulary.ts). */
export const SPECIALIZATION_SYSTEM = `${OURS}/CodeSystem/peer-support-specialization`;
/** Code system of our certification statuses, which say more than Plan-Net's qualification status can. */
export const CERTIFICATION_STATUS_SYSTEM = `${OURS}/CodeSystem/certification-status`;
/** Our extension on a qualification carrying the registry's own status (suspended, expired, vacated, …). */
export const CERTIFICATION_STATUS_EXTENSION = `${OURS}/StructureDefinition/certification-status`;

export const ISSUER_DISPLAY = 'California Mental Health Services Authority (CalMHSA)';

export const PLAN_NET_QUALIFICATION_EXTENSION = 'http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/practitioner-qualification';
/** USPS two-letter state codes, as Plan-Net's whereValid binds them. */
export const USPS_SYSTEM = 'https://www.usps.com/';

/**
 * Plan-Net's Qualification Status codes (CodeSystem QualificationStatusCS: active, inactive, issiner, revoked,
 * pending, unknown) for ours. It has no "suspended": a suspension may not be relied on, so it is inactive, like an
 * expired or vacated certification; our own extension keeps the exact status. Null is before the first issue.
 */
export type PlanNetQualificationStatus = 'active' | 'inactive' | 'revoked' | 'pending';
export function planNetQualificationStatus(status: CertificationStatus | null): PlanNetQualificationStatus {
  switch (status) {
    case 'active':
      return 'active';
    case 'revoked':
      return 'revoked';
    case 'expired':
    case 'suspended':
    case 'vacated':
      return 'inactive';
    case null:
      return 'pending';
  }
}
