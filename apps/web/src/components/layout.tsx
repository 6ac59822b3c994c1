import type { ComponentChildren } from 'preact';
import type { SessionAnswer } from '../api';
import { useI18n } from '../i18n';
import { onLinkClick } from '../router';
import { PartnerNavItem } from './partner/partner-nav';
import { FINANCE_ROLES } from '../pages/finance/finance-data';
import { AsOfBanner, AsOfPicker } from './audit/as-of-picker';
import { CoordinatorNavItem } from '../pages/coordinator/coordinator-nav';

/** Skip link, banner with the menu, language switch and the signed-in user, then the page. */
export function Layout(props: {
  session: SessionAnswer | null;
  path: string;
  onSignOut: () => void;
  children: ComponentChildren;
}) {
  const { t, locale, setLocale } = useI18n();
  const actor = props.session?.actor;
  return (
    <>
      <a class="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header class="top">
        <a class="brand" href="/" onClick={onLinkClick}>
          {t.appName}
        </a>
        {actor && (
          <nav aria-label={t.mainNav}>
            <ul>
              <li>
                <a href="/" onClick={onLinkClick} aria-current={props.path === '/' ? 'page' : undefined}>
                  {t.navOverview}
                </a>
              </li>
              {actor.partnerId && <PartnerNavItem partnerId={actor.partnerId} path={props.path} />}
              {FINANCE_ROLES.includes(actor.role) && (
                <li>
                  <a href="/finance" onClick={onLinkClick} aria-current={financeCurrent(props.path)}>
                    {t.navFinance}
                  </a>
                </li>
              )}
              <li>
                <a href="/audit" onClick={onLinkClick} aria-current={props.path === '/audit' ? 'page' : undefined}>
                  {t.audit.navAudit}
                </a>
              </li>
              {actor.role !== 'finance-officer' && <CoordinatorNavItem path={props.path} />}
            </ul>
          </nav>
        )}
        {actor && <AsOfPicker />}
        <button
          type="button"
          lang={locale === 'lt' ? 'en' : 'lt'}
          onClick={() => setLocale(locale === 'lt' ? 'en' : 'lt')}
        >
          {t.switchLanguage}
        </button>
        {actor && (
          <>
            <span class="who">
              {t.signedInAs} {actor.subject} ({t.roles[actor.role]}
              {actor.partnerId ? `, ${actor.partnerId}` : ''})
            </span>
            <button type="button" onClick={props.onSignOut}>
              {t.signOut}
            </button>
          </>
        )}
      </header>
      {actor && <AsOfBanner />}
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}

/** The finance section's link: the page itself, or the section the page belongs to. */
const financeCurrent = (path: string) =>
  path === '/finance' ? 'page' : path.startsWith('/finance/') ? 'true' : undefined;
