// Pieces the county pages share.
import { englishTextLang, type Translate } from '../web/i18n.ts';
import type { PageContext } from '../web/layout.tsx';
import type { DeliverySystem } from './reference-data.ts';

/** "DMC-ODS & SMHS", "SMHS only", "Not participating": the words the DHCS table uses, from the data. */
export function combinationLabel(t: Translate, systems: ReadonlyArray<DeliverySystem>): string {
  if (systems.length === 0) return t('counties.none');
  const names = systems.map((s) => t(`systems.short.${s}`));
  return names.length === 1 ? t('counties.only', { system: names[0] }) : names.join(' & ');
}

/** Recorded text (source names, reasons, import notes) is English; say so to screen readers on other pages. */
export const dataLang = englishTextLang;

export function SourceNotes({ ctx, notes }: { ctx: PageContext; notes: ReadonlyArray<{ message: string }> }) {
  if (notes.length === 0) return null;
  return (
    <>
      <p class="margin-bottom-0">{ctx.t('counties.sourceNotes')}</p>
      <ul data-testid="source-notes">
        {notes.map((n) => (
          <li key={n.message} lang={dataLang(ctx.locale)}>
            {n.message}
          </li>
        ))}
      </ul>
    </>
  );
}

