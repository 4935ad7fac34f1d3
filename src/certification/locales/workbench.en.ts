// English strings of the workbench pages (merged under certification.workbench). workbench.es.ts has the same keys.
export const workbenchEn = {};
