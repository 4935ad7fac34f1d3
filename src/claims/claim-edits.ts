// Claim edits as one pure function over a claim's lines and the facts gathered at build time: everything the
// services rules check (re-checked as of the date of service), plus what only a claim has — a rate, units, the
// per-day limit, timely filing, the billing and rendering NPIs and taxonomy, a diagnosis, the member's address,
// and duplicate lines. Each edit has a code, a message and the line it applies to (null: the whole claim).
import { isValidNpi } from '../identifiers/npi.ts';
import { addDays } from '../lib/dates.ts';
import type { ValidationFailure } from '../encounters/encounters.types.ts';
import type { ClaimEdit } from './claims.schema.ts';

export const PEER_TAXONOMY = '175T00000X';

export interface LineForEdits {
  lineNumber: number;
  encounterId: string;
  procedureCode: string;
  /** Joined by ':' ('' for none). */
  modifiers: string;
  units: number;
  rateCents: number | null;
  startTime: string | null;
  renderingNpi: string | null;
  taxonomy: string | null;
  diagnosisCode: string | null;
  /** The services rules' failures as of the date of service. */
  serviceFailures: readonly ValidationFailure[];
  /** The encounter has a retro-check flag not yet resolved. */
  openFlags: number;
}

export interface ClaimForEdits {
  serviceDate: string;
  billingNpi: string;
  memberAddress: { street: string | null; city: string | null; zip: string | null };
  lines: readonly LineForEdits[];
}

export interface ClaimRules {
  buildDate: string;
  maxUnitsPerMemberDay: number;
  timelyFilingDays: number;
}

export function claimEdits(claim: ClaimForEdits, rules: ClaimRules): ClaimEdit[] {
  const edits: ClaimEdit[] = [];
  const edit = (code: string, message: string, line: number | null) => edits.push({ code, message, line });
  if (!isValidNpi(claim.billingNpi)) edit('claim.billing_npi', `The billing NPI ${claim.billingNpi} fails its check digit.`, null);
  if (!claim.memberAddress.street || !claim.memberAddress.city || !claim.memberAddress.zip) edit('claim.member_address', 'The member’s street address, city and ZIP code are needed for the claim (2010BA).', null);
  if (rules.buildDate > addDays(claim.serviceDate, rules.timelyFilingDays)) edit('claim.timely_filing', `The date of service ${claim.serviceDate} is more than ${rules.timelyFilingDays} days before ${rules.buildDate}.`, null);
  const units = claim.lines.reduce((sum, l) => sum + l.units, 0);
  if (units > rules.maxUnitsPerMemberDay) edit('claim.units_per_day', `${units} units for one member on ${claim.serviceDate} is more than the ${rules.maxUnitsPerMemberDay} allowed.`, null);
  const seen = new Map<string, number>();
  for (const l of claim.lines) {
    for (const f of l.serviceFailures) edit(`service.${f.code}`, f.message, l.lineNumber);
    if (l.openFlags > 0) edit('service.flagged', 'A change recorded after the service was documented affects it; review and check it again.', l.lineNumber);
    if (l.units <= 0) edit('claim.units_zero', 'The service is too short for one unit under the rounding rule.', l.lineNumber);
    if (l.rateCents === null) edit('claim.no_rate', `No fee schedule rate for ${l.procedureCode} is in force on ${claim.serviceDate}.`, l.lineNumber);
    if (!l.renderingNpi) edit('claim.rendering_npi_missing', 'The rendering peer has no NPI on record for this organization on the date of service.', l.lineNumber);
    else if (!isValidNpi(l.renderingNpi)) edit('claim.rendering_npi', `The rendering NPI ${l.renderingNpi} fails its check digit.`, l.lineNumber);
    if (l.taxonomy !== PEER_TAXONOMY) edit('claim.taxonomy', `The rendering taxonomy must be ${PEER_TAXONOMY} (Peer Specialist).`, l.lineNumber);
    if (!l.diagnosisCode) edit('claim.diagnosis_missing', 'The service has no diagnosis (ICD-10-CM) for the claim.', l.lineNumber);
    const key = `${l.procedureCode}|${l.startTime ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined && l.startTime !== null) edit('claim.duplicate_line', `Line ${l.lineNumber} repeats line ${first}: the same code at the same time for this member.`, l.lineNumber);
    else seen.set(key, l.lineNumber);
  }
  return edits;
}
