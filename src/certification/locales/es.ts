// Spanish strings of the certification pages, with the same keys as en.ts.
import type { certificationEn } from './en.ts';

export const certificationEs: typeof certificationEn = {
  nav: { apply: 'Mi certificación', workbench: 'Mesa de trabajo' },
};
