import type { ComponentChildren } from 'preact';
import type { Actor } from '../../api';
import { useI18n } from '../../i18n';
import { onLinkClick } from '../../router';
import { FINANCE_ROLES } from '../../pages/finance/finance-data';

const PAGES = [
  ['/finance', 'homeNav'],
  ['/finance/queue', 'queueNav'],
  ['/finance/register', 'registerNav'],
] as const;

/**
 * Every finance page: its heading, the links between the three pages, then the page. A role that may
 * not read the budget (a partner) gets a plain "not available" instead, whatever URL it typed.
 */
export function FinanceShell(props: { actor: Actor; path: string; title: string; children: ComponentChildren }) {
  const { t } = useI18n();
  if (!FINANCE_ROLES.includes(props.actor.role)) return <NotAvailable />;
  return (
    <>
      <h1>{props.title}</h1>
      <nav aria-label={t.finance.sectionNav} class="subnav">
        <ul>
          {PAGES.map(([href, key]) => (
            <li key={href}>
              <a href={href} onClick={onLinkClick} aria-current={props.path === href ? 'page' : undefined}>
                {t.finance[key]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.children}
    </>
  );
}

/** What a role without access sees, and what a 403/404 from the API shows: no figures at all. */
export function NotAvailable(props: { heading?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {props.heading !== false && <h1>{t.forbidden}</h1>}
      <p data-state="not-available">{t.finance.notAvailable}</p>
      <p>
        <a href="/" onClick={onLinkClick}>
          {t.backHome}
        </a>
      </p>
    </>
  );
}

/** Loading, or a failed read with a retry: the same on every finance page. */
export function LoadState(props: { failed: string | null; onRetry: () => void }) {
  const { t } = useI18n();
  if (!props.failed) return <p aria-busy="true">{t.loading}</p>;
  return (
    <div role="alert">
      <h2>{t.errorTitle}</h2>
      <p>{props.failed}</p>
      <button type="button" onClick={props.onRetry}>
        {t.retry}
      </button>
    </div>
  );
}
