import type { JSX } from 'preact';
import type { SessionAnswer } from '../../api';
import { FinanceShell } from '../../components/finance/finance-shell';
import { useI18n } from '../../i18n';
import { FinanceHomePage } from './finance-home';
import { QueuePage } from './queue-page';
import { RegisterPage } from './register-page';

const TITLES = {
  '/finance': 'homeTitle',
  '/finance/queue': 'queueTitle',
  '/finance/register': 'registerTitle',
} as const;

/** The finance page for a path under /finance, inside the shell that keeps other roles out; else null. */
export function financePage(session: SessionAnswer, path: string): JSX.Element | null {
  const page = path.replace(/\/+$/, '') || '/';
  if (!(page in TITLES)) return null;
  return <FinancePage session={session} path={page as keyof typeof TITLES} />;
}

function FinancePage(props: { session: SessionAnswer; path: keyof typeof TITLES }) {
  const { t } = useI18n();
  const { session, path } = props;
  return (
    <FinanceShell actor={session.actor!} path={path} title={t.finance[TITLES[path]]}>
      {path === '/finance' && <FinanceHomePage session={session} />}
      {path === '/finance/queue' && <QueuePage session={session} />}
      {path === '/finance/register' && <RegisterPage session={session} />}
    </FinanceShell>
  );
}
