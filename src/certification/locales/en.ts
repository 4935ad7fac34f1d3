// English strings of the certification pages (applicant portal and staff workbench). es.ts has the same keys.
import { labelsEn } from './labels.en.ts';
import { portalEn } from './portal.en.ts';
import { workbenchEn } from './workbench.en.ts';
import { importsEn } from './imports.en.ts';

export const certificationEn = {
  nav: { apply: 'My certification', workbench: 'Workbench' },
  labels: labelsEn,
  portal: portalEn,
  workbench: workbenchEn,
  imports: importsEn,
};
