// The words of enforcement (PROGRAM.md §10), as the database stores them; pages translate them.

export const COMPLAINT_KINDS = ['ethics', 'training_provider', 'general'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

/** How a complaint arrived: the public form, or entered by staff from an email, a letter or a call. */
export const STAFF_CHANNELS = ['email', 'mail', 'phone'] as const;
export const CHANNELS = ['web', 'portal', ...STAFF_CHANNELS] as const;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

/** Decisions on a complaint. Which of them the registry discloses is a program rule (enforcement.public_outcomes). */
export const COMPLAINT_OUTCOMES = ['dismissed', 'warning', 'corrective_action', 'probation', 'suspension', 'revocation', 'renewal_denial', 'approval_suspension', 'approval_revocation'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];
/** Outcomes about a certified peer, and about a training provider. */
export const PEER_OUTCOMES: readonly ComplaintOutcome[] = ['warning', 'corrective_action', 'probation', 'suspension', 'revocation', 'renewal_denial'];
export const PROVIDER_OUTCOMES: readonly ComplaintOutcome[] = ['warning', 'corrective_action', 'approval_suspension', 'approval_revocation'];

/** Upheld: the appeal succeeds and the action is reversed from its effective date. Denied: the action stands. */
export const APPEAL_OUTCOMES = ['upheld', 'denied'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

/** What a peer may appeal (PROGRAM.md §10.3): these outcomes about them, or the denial of their application. */
export const PEER_APPEALABLE: readonly ComplaintOutcome[] = ['suspension', 'revocation', 'renewal_denial'];
/** What a training provider may appeal: a suspension or revocation of approval, or a decision with no record here. */
export const PROVIDER_APPEALABLE: readonly ComplaintOutcome[] = ['approval_suspension', 'approval_revocation'];
export const PROVIDER_DECISIONS = ['provider_application_denial', 'provider_renewal_denial'] as const;

export const CONTACT_ROLES = ['complainant', 'subject', 'witness', 'employer', 'other'] as const;
export const CONFLICT_RELATIONS = ['supervises', 'family', 'other'] as const;
