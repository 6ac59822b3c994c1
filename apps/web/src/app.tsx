import { useEffect, useMemo, useState } from 'preact/hooks';
import { useAsOf } from './as-of';
import { loadSession, openingSession, signOut, type SessionAnswer } from './api';
import { Layout } from './components/layout';
import { loadChartsEarlyOn } from './components/use-echart';
import { DICTIONARIES, I18nContext, storeLocale, storedLocale, useI18n, type I18n, type Locale } from './i18n';
import { OverviewPage } from './pages/overview';
import { financePage } from './pages/finance/finance-routes';
import { SignInPage } from './pages/sign-in';
import { partnerPage } from './pages/partner/partner-routes';
import { AuditExplorerPage } from './pages/audit/audit-page';
import { historyPathId } from './pages/audit/audit-data';
import { RecordHistoryPage } from './pages/audit/record-history-page';
import { navigate, onLinkClick, usePath } from './router';
import { CoordinatorPage } from './pages/coordinator/coordinator-page';

/** The whole app: language, session, then the page for the path. */
export function App() {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const i18n = useMemo<I18n>(
    () => ({
      locale,
      t: DICTIONARIES[locale],
      setLocale: (l) => {
        storeLocale(l);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  const path = usePath();
  const asOf = useAsOf();
  const [session, setSession] = useState<SessionAnswer | null>(null);
  useEffect(() => {
    void openingSession().then(setSession);
    loadChartsEarlyOn(location.pathname);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = i18n.t.appName;
  }, [locale, i18n]);
  // Signed out: every page is the sign-in page; signed in, the sign-in page leads home.
  useEffect(() => {
    if (!session) return;
    if (!session.signedIn && path !== '/sign-in') navigate('/sign-in');
    if (session.signedIn && path === '/sign-in') navigate('/');
  }, [session, path]);
  // After a page change inside the app, focus moves to the content, as after a page load.
  const firstPath = useMemo(() => path, []);
  useEffect(() => {
    if (path !== firstPath) document.getElementById('main')?.focus();
  }, [path, firstPath]);
  const onSignOut = () => {
    void signOut().then(() => loadSession().then(setSession));
  };
  return (
    <I18nContext.Provider value={i18n}>
      <Layout session={session} path={path} onSignOut={onSignOut}>
        <Page key={asOf ?? 'now'} session={session} path={path} onSignedIn={setSession} />
      </Layout>
    </I18nContext.Provider>
  );
}

function Page(props: { session: SessionAnswer | null; path: string; onSignedIn: (s: SessionAnswer) => void }) {
  const { t } = useI18n();
  const { session, path } = props;
  if (!session) return <p aria-busy="true">{t.loading}</p>;
  if (!session.signedIn) return <SignInPage session={session} onSignedIn={props.onSignedIn} />;
  if (path === '/' || path === '/overview') return <OverviewPage session={session} />;
  if (path === '/audit') return <AuditExplorerPage session={session} />;
  if (path === '/coordinator') return <CoordinatorPage session={session} />;
  if (historyPathId(path)) return <RecordHistoryPage session={session} id={historyPathId(path)!} />;
  if (path === '/sign-in') return <p aria-busy="true">{t.loading}</p>;
  const partner = partnerPage(path, session);
  if (partner) return partner;
  const finance = financePage(session, path);
  if (finance) return finance;
  return (
    <>
      <h1>{t.notFound}</h1>
      <p>
        <a href="/" onClick={onLinkClick}>
          {t.backHome}
        </a>
      </p>
    </>
  );
}
