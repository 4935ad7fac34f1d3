// Spanish strings of the scheduled-jobs page, with the same keys as en.ts.
import type { jobsEn } from './en.ts';

export const jobsEs: typeof jobsEn = {
  title: 'Tareas programadas',
};
