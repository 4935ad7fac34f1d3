// Spanish strings of the certification pages, with the same keys as en.ts.
import type { certificationEn } from './en.ts';
import { labelsEs } from './labels.es.ts';
import { portalEs } from './portal.es.ts';
import { workbenchEs } from './workbench.es.ts';
import { importsEs } from './imports.es.ts';

export const certificationEs: typeof certificationEn = {
  nav: { apply: 'Mi certificación', workbench: 'Mesa de trabajo' },
  labels: labelsEs,
  portal: portalEs,
  workbench: workbenchEs,
  imports: importsEs,
};
