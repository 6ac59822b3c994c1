import type { SessionAnswer } from '../api';
import { useI18n } from '../i18n';

export function OverviewPage(_props: { session: SessionAnswer }) {
  const { t } = useI18n();
  return <h1>{t.overview.title}</h1>;
}
