// The training domain's fixed vocabularies (PROGRAM.md §8–9). Hours are program rules (src/rules/), not constants.

/** What a provider is approved to teach: the 80-hour core course, continuing education, or a specialization. */
export const TRAINING_TYPES = ['core', 'ce', 'specialization'] as const;
export type TrainingType = (typeof TRAINING_TYPES)[number];

/** Who applies (PROGRAM.md §9.1): one instructor, an agency, or agencies as co-providers under a lead agency. */
export const PROVIDER_KINDS = ['individual', 'agency', 'co_provider'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const COMPLETION_SOURCES = ['roster', 'manual', 'import'] as const;
export type CompletionSource = (typeof COMPLETION_SOURCES)[number];

/** An ISO 639 language code as approvals and courses record it: "en", "es", "zh", "hmn". */
const LANGUAGE_CODE = /^[a-z]{2,3}$/;

export function isTrainingType(value: unknown): value is TrainingType {
  return typeof value === 'string' && (TRAINING_TYPES as readonly string[]).includes(value);
}

export function isProviderKind(value: unknown): value is ProviderKind {
  return typeof value === 'string' && (PROVIDER_KINDS as readonly string[]).includes(value);
}

export function isLanguageCode(value: unknown): value is string {
  return typeof value === 'string' && LANGUAGE_CODE.test(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an id from a URL can name a row at all (PostgreSQL refuses a malformed uuid with an error, not "no row"). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
