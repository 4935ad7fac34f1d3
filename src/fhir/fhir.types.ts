// The parts of FHIR R4 (4.0.1) data types and resources this API emits, so the compiler holds the builders to
// their shape; the tests validate every response against the R4 definitions as well (fhir-validation.testing.ts).

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  system: string;
  value: string;
}

/** A date period; R4 reads a date `end` as the whole of that day. */
export interface Period {
  start?: string;
  end?: string;
}

export type Extension =
  | { url: string; extension: Extension[] }
  | { url: string; valueCode: string }
  | { url: string; valueCoding: Coding }
  | { url: string; valueCodeableConcept: CodeableConcept };

export interface HumanName {
  use: 'official';
  text: string;
  family: string;
  given: string[];
}

export interface PractitionerQualification {
  extension?: Extension[];
  identifier?: Identifier[];
  code: CodeableConcept;
  period?: Period;
  issuer?: { display: string };
}

export interface Practitioner {
  resourceType: 'Practitioner';
  id: string;
  identifier: Identifier[];
  active: boolean;
  name: HumanName[];
  qualification: PractitionerQualification[];
}

export interface BundleLink {
  relation: 'self' | 'first' | 'previous' | 'next' | 'last';
  url: string;
}

export interface SearchsetBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  total: number;
  link: BundleLink[];
  entry?: Array<{ fullUrl: string; resource: Practitioner; search: { mode: 'match' } }>;
}

/** The OperationOutcome issue types this API reports (R4 value set issue-type). */
export type IssueType = 'invalid' | 'not-supported' | 'security' | 'not-found' | 'conflict' | 'throttled' | 'exception' | 'transient' | 'processing';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: Array<{ severity: 'fatal' | 'error' | 'warning' | 'information'; code: IssueType; diagnostics: string }>;
}

export interface SearchParamDeclaration {
  name: string;
  definition?: string;
  type: 'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';
  documentation: string;
}

export interface CapabilityStatement {
  resourceType: 'CapabilityStatement';
  status: 'active';
  date: string;
  publisher: string;
  kind: 'instance';
  software: { name: string };
  implementation: { description: string; url: string };
  fhirVersion: string;
  format: string[];
  rest: Array<{
    mode: 'server';
    documentation: string;
    resource: Array<{
      type: string;
      profile: string;
      documentation: string;
      interaction: Array<{ code: 'read' | 'search-type' }>;
      versioning: 'no-version';
      readHistory: false;
      conditionalRead: 'not-match';
      searchParam: SearchParamDeclaration[];
    }>;
  }>;
}
