// The alert email, in the watcher's language.
import { translator, type Locale } from '../web/i18n.ts';

export interface StatusChangeEmailInput {
  locale: Locale;
  /** The watcher's display name. */
  name: string;
  number: string;
  fullName: string;
  before: string | null;
  after: string;
  effectiveOn: string;
  registryUrl: string;
  alertsUrl: string;
}

function longDate(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-US' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

export function statusChangeEmail(input: StatusChangeEmailInput): { subject: string; text: string } {
  const t = translator(input.locale);
  const values = {
    name: input.name,
    number: input.number,
    fullName: input.fullName,
    before: t(`alerts.status.${input.before ?? 'none'}`),
    after: t(`alerts.status.${input.after}`),
    effectiveOn: longDate(input.effectiveOn, input.locale),
    registryUrl: input.registryUrl,
    alertsUrl: input.alertsUrl,
  };
  return { subject: t('alerts.email.subject', values), text: t('alerts.email.text', values) };
}
