// Spanish strings of the workbench pages, with the same keys as workbench.en.ts.
import type { workbenchEn } from './workbench.en.ts';

export const workbenchEs: typeof workbenchEn = {};
