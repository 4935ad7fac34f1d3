// Spanish strings of the training pages, with the same keys as en.ts.
import type { trainingEn } from './en.ts';

export const trainingEs: typeof trainingEn = {
  nav: { training: 'Capacitación' },
};
