// The page shell: USWDS banner, header with navigation and language switch, main landmark, footer.
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Locale, Translate } from './i18n.ts';

export interface PageContext {
  t: Translate;
  locale: Locale;
  /** The current path and query, so the language switch can return to the same page. */
  url: string;
  /** The signed-in person's name, for the header; null when signed out. */
  signedInAs: string | null;
  /** Which work areas the navigation offers this person (those their roles reach). */
  areas?: { workbench: boolean; training: boolean; enforcement?: boolean } | undefined;
}

interface LayoutProps {
  ctx: PageContext;
  title: string;
  current?: 'home' | 'counties' | 'api' | 'sign-in' | 'account' | 'my-certification' | 'workbench' | 'training' | 'registry' | 'enforcement' | 'complaints' | 'services' | 'claims';
  children: ComponentChildren;
}

/** The same URL with ?lang= set to the other language. */
export function switchLanguageHref(url: string, to: Locale): string {
  const u = new URL(url, 'http://local');
  u.searchParams.set('lang', to);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

function NavLink({ href, label, active }: { href: string; label: string; active: boolean }) {
  return (
    <li class="usa-nav__primary-item">
      <a href={href} class={active ? 'usa-nav-link usa-current' : 'usa-nav-link'} aria-current={active ? 'page' : undefined}>
        <span>{label}</span>
      </a>
    </li>
  );
}

export function Layout({ ctx, title, current, children }: LayoutProps) {
  const { t, locale } = ctx;
  const other: Locale = locale === 'en' ? 'es' : 'en';
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} | ${t('site.name')}`}</title>
        <link rel="icon" href="/assets/uswds/img/favicons/favicon.ico" />
        <link rel="stylesheet" href="/assets/uswds/css/uswds.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/uswds/js/uswds-init.min.js"></script>
      </head>
      <body>
        <a class="usa-skipnav" href="#main-content">
          {t('site.skip')}
        </a>
        <section class="usa-banner" aria-label={t('site.officialBanner')}>
          <div class="usa-banner__header">
            <div class="usa-banner__inner">
              <p class="usa-banner__header-text">{t('site.officialBanner')}</p>
            </div>
          </div>
        </section>
        <div class="usa-overlay"></div>
        <header class="usa-header usa-header--basic">
          <div class="usa-nav-container">
            <div class="usa-navbar">
              <div class="usa-logo">
                <em class="usa-logo__text">
                  <a href="/" title={t('nav.home')}>
                    {t('site.name')}
                  </a>
                </em>
              </div>
              <button type="button" class="usa-menu-btn">
                {t('site.menu')}
              </button>
            </div>
            <nav aria-label={t('site.primaryNav')} class="usa-nav">
              <button type="button" class="usa-nav__close">
                <img src="/assets/uswds/img/usa-icons/close.svg" role="img" alt={t('site.close')} />
              </button>
              <ul class="usa-nav__primary usa-accordion">
                <NavLink href="/" label={t('nav.home')} active={current === 'home'} />
                <NavLink href="/counties" label={t('nav.counties')} active={current === 'counties'} />
                <NavLink href="/registry" label={t('registry.nav')} active={current === 'registry'} />
                {ctx.signedInAs !== null && <NavLink href="/my-certification" label={t('certification.nav.apply')} active={current === 'my-certification'} />}
                {ctx.areas?.workbench && <NavLink href="/workbench" label={t('certification.nav.workbench')} active={current === 'workbench'} />}
                {ctx.areas?.training && <NavLink href="/training" label={t('training.nav.training')} active={current === 'training'} />}
                {ctx.areas?.enforcement && <NavLink href="/enforcement" label={t('enforcement.nav')} active={current === 'enforcement'} />}
                {ctx.signedInAs !== null && <NavLink href="/services" label={t('services.nav')} active={current === 'services'} />}
                {ctx.signedInAs !== null && <NavLink href="/claims" label={t('claims.nav')} active={current === 'claims'} />}
                <NavLink href="/docs" label={t('nav.api')} active={current === 'api'} />
                {ctx.signedInAs === null ? (
                  <NavLink href="/sign-in" label={t('nav.signIn')} active={current === 'sign-in'} />
                ) : (
                  <NavLink href="/account" label={t('nav.account')} active={current === 'account'} />
                )}
                <li class="usa-nav__primary-item">
                  <a
                    class="usa-nav-link"
                    href={switchLanguageHref(ctx.url, other)}
                    lang={other}
                    hreflang={other}
                    aria-label={t('site.switchLanguageLabel')}
                    data-testid="language-switch"
                  >
                    <span>{t('site.switchLanguage')}</span>
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main-content" class="usa-section" tabindex={-1}>
          <div class="grid-container">{children}</div>
        </main>
        <footer class="usa-footer usa-footer--slim">
          <div class="usa-footer__secondary-section">
            <div class="grid-container">
              <p>{t('site.footer')}</p>
              <p>
                <a href="/docs">{t('site.apiDocs')}</a> · <a href="/complaints/new">{t('enforcement.footerLink')}</a>
              </p>
            </div>
          </div>
        </footer>
        <script src="/assets/uswds/js/uswds.min.js"></script>
        <script src="/assets/file-inputs.js"></script>
      </body>
    </html>
  );
}

/** Render a full HTML document. preact escapes every text and attribute value it renders. */
export function renderDocument(node: preact.VNode): string {
  return `<!doctype html>${renderToString(node)}`;
}
