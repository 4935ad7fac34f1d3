// English strings of the certification pages (applicant portal and staff workbench). es.ts has the same keys.
export const certificationEn = {
  nav: { apply: 'My certification', workbench: 'Workbench' },
};
