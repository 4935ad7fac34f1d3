// English strings of the scheduled-jobs page. es.ts has the same keys.
export const jobsEn = {
  title: 'Scheduled jobs',
};
