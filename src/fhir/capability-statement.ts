// GET /fhir/metadata: what this server does — read and search of Practitioner, in FHIR JSON, R4.
import type { CapabilityStatement } from './fhir.types.ts';
import { FHIR_JSON, FHIR_VERSION, ISSUER_DISPLAY } from './fhir.vocabulary.ts';
import { REGISTRY_PAGE_SIZE } from '../registry/search-registry.ts';

/** When this statement last changed: change it together with the statement. */
const STATEMENT_DATE = '2026-12-02';

export function capabilityStatement(fhirBase: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: STATEMENT_DATE,
    publisher: ISSUER_DISPLAY,
    kind: 'instance',
    software: { name: 'Medi-Cal Peer Support Services' },
    implementation: { description: 'Public registry of Certified Medi-Cal Peer Support Specialists (read-only)', url: fhirBase },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON.split(';')[0] ?? 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation: 'Public and read-only: no authentication. Errors are OperationOutcome resources; unknown search parameters are refused (400).',
        resource: [
          {
            type: 'Practitioner',
            profile: 'http://hl7.org/fhir/StructureDefinition/Practitioner',
            documentation:
              'One Practitioner per certification; the id is the certification number. Qualifications carry the Da Vinci Plan-Net practitioner-qualification extension.',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            versioning: 'no-version',
            readHistory: false,
            conditionalRead: 'not-match',
            searchParam: [
              {
                name: 'identifier',
                definition: 'http://hl7.org/fhir/SearchParameter/Practitioner-identifier',
                type: 'token',
                documentation: 'The certification number, optionally with its system: [system|]PSS-100001.',
              },
              {
                name: 'name',
                definition: 'http://hl7.org/fhir/SearchParameter/Practitioner-name',
                type: 'string',
                documentation: 'Any part of the legal name; forgiving of accents, word order and small misspellings.',
              },
              {
                name: 'family',
                definition: 'http://hl7.org/fhir/SearchParameter/individual-family',
                type: 'string',
                documentation: 'The legal last name; forgiving like name.',
              },
              { name: '_count', type: 'number', documentation: `Results per page, at most ${REGISTRY_PAGE_SIZE} (the default).` },
              { name: '_page', type: 'number', documentation: 'The page of results, from 1; the bundle links lead from page to page.' },
            ],
          },
        ],
      },
    ],
  };
}
