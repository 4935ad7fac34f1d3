// The Code of Ethics text an applicant affirms. The affirmation stores this exact text and its version with the
// signature time, so what a person agreed to is known even after the text changes. The headings and duties follow
// DHCS's Medi-Cal Code of Ethics for Peer Support Specialists in California (PROGRAM.md §11); the full published
// code is linked, and a new version gets a new CODE_OF_ETHICS_VERSION.
export const CODE_OF_ETHICS_VERSION = 'DHCS-2021';

export const CODE_OF_ETHICS_URL = 'https://www.dhcs.ca.gov/services/Pages/Peer-Support-Services.aspx';

export const CODE_OF_ETHICS_TEXT = [
  'I agree to follow the Medi-Cal Code of Ethics for Peer Support Specialists in California, as published by DHCS.',
  'Hope: I inspire hope by living my own recovery. Person-driven and family-driven: I support self-determination and informed choice, and never coerce, even in mandated treatment.',
  'Holistic wellness, authenticity, cultural responsiveness and humility, respect and integrity guide my work; I do not impose my values and I honor many paths to recovery.',
  'Advocacy, confidentiality, safety and protection: I keep what people share confidential within the law and act to keep them safe.',
  'Education, mutuality, reciprocity and a strengths-based approach: I share my lived experience only when it helps the person I support.',
  'I will not enter a dual relationship with a person I serve, and I will not help, encourage or conspire in another person’s violation of this Code.',
  'I will re-affirm this Code at every renewal of my certification.',
].join('\n\n');
