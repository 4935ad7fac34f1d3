// Languages of the web pages. The language comes from ?lang=, then the `lang` cookie, then Accept-Language.
import i18next, { type TFunction } from 'i18next';
import { en } from './locales/en.ts';
import { es } from './locales/es.ts';

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

const i18n = i18next.createInstance();
void i18n.init({
  initAsync: false,
  resources: { en: { translation: en }, es: { translation: es } },
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // JSX escapes everything it renders
  returnNull: false,
  showSupportNotice: false,
});

export type Translate = TFunction;

export function translator(locale: Locale): Translate {
  return i18n.getFixedT(locale);
}

/** The lang attribute for text kept in English (recorded data, use-case messages) on a page in `locale`. */
export function englishTextLang(locale: Locale): 'en' | undefined {
  return locale === 'en' ? undefined : 'en';
}

/** A moment as people in California read it, in the page's language. */
export function formatTime(at: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-US' : 'en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Los_Angeles' }).format(at);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function pickLocale(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(query)) return query;
  if (isLocale(cookie)) return cookie;
  return preferredLocale(acceptLanguage ?? '') ?? 'en';
}

/** The supported language the browser ranks highest ("es-MX;q=0.8, en;q=0.9" → en); q=0 means "not this". */
function preferredLocale(acceptLanguage: string): Locale | undefined {
  const ranked = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: range.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), order };
    })
    .filter((r) => r.q > 0 && isLocale(r.language))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked[0]?.language as Locale | undefined;
}
