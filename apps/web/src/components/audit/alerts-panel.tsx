import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { pageHref } from '../../as-of';
import { useI18n } from '../../i18n';
import { formatDay, formatNumber } from '../../i18n/format';
import { onLinkClick } from '../../router';
import { historyHref } from '../../pages/audit/audit-data';
import { alertRecord } from '../../pages/audit/history-kinds';

interface AlertEntry {
  readonly alertId: string;
  readonly check: string;
  readonly subject: {
    readonly partnerId?: string;
    readonly categoryId?: string;
    readonly recordId?: string;
    readonly periodId?: string;
  };
  readonly details: Readonly<Record<string, string | number | null>>;
  readonly raisedAt: string;
}

interface AlertsAnswer {
  readonly total: number;
  readonly alerts: readonly AlertEntry[];
}

const SHOWN = 20;

/**
 * How much an alert weighs, the page's own grading of the checks (the API has no severity): money
 * over its allocation and a partner behind its line first, an ended period left open last.
 */
const SEVERITY: Record<string, 'high' | 'medium' | 'low'> = {
  'over-allocation': 'high',
  'behind-trajectory': 'high',
  'awaiting-verification': 'medium',
  'no-submissions': 'medium',
  'period-not-locked': 'low',
};
const ORDER = { high: 0, medium: 1, low: 2 };

/** The open alerts on the overview (a partner gets its own from the API): severity in words, partner, what, since. */
export function AlertsPanel(props: { code: string; partners: readonly { id: string; name: string }[] }) {
  const { t, locale } = useI18n();
  const [answer, setAnswer] = useState<AlertsAnswer | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api
      .get<AlertsAnswer>(`/api/v1/projects/${encodeURIComponent(props.code)}/alerts?status=open&pageSize=${SHOWN}`)
      .then(setAnswer)
      .catch(() => setFailed(true));
  }, [props.code]);
  const names = new Map(props.partners.map((p) => [p.id, p.name]));
  const alerts = [...(answer?.alerts ?? [])].sort(
    (a, b) => ORDER[SEVERITY[a.check] ?? 'medium'] - ORDER[SEVERITY[b.check] ?? 'medium'],
  );
  return (
    <section class="card wide" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t.audit.alertsTitle}</h2>
      {failed ? (
        <p role="alert">{t.errorTitle}</p>
      ) : !answer ? (
        <p aria-busy="true">{t.loading}</p>
      ) : alerts.length === 0 ? (
        <p data-figure="alerts-none">{t.audit.alertsNone}</p>
      ) : (
        <>
          <table data-table="alerts">
            <caption class="visually-hidden">{t.audit.alertsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.audit.severity}</th>
                <th scope="col">{t.audit.partner}</th>
                <th scope="col">{t.audit.what}</th>
                <th scope="col">{t.audit.since}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => {
                const severity = SEVERITY[a.check] ?? 'medium';
                const partner = a.subject.partnerId;
                return (
                  <tr key={a.alertId}>
                    <td>
                      <span class={`status severity-${severity}`}>{t.audit.severities[severity]}</span>
                    </td>
                    <th scope="row">{partner ? (names.get(partner) ?? partner) : '—'}</th>
                    <td>
                      {t.audit.checks[a.check] ?? a.check}
                      <AlertSubjectText alert={a} />
                    </td>
                    <td>{formatDay(a.raisedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {answer.total > alerts.length && (
            <p class="note">{t.audit.alertsMore(formatNumber(locale, alerts.length))}</p>
          )}
        </>
      )}
    </section>
  );
}

/** The subject's other parts: the period, the budget category, the waiting record (to its history). */
function AlertSubjectText({ alert }: { alert: AlertEntry }) {
  const { t } = useI18n();
  const { periodId, categoryId, recordId } = alert.subject;
  return (
    <>
      {periodId && ` · ${t.audit.periodWord} ${periodId}`}
      {categoryId && ` · ${categoryId}`}
      {recordId && (
        <>
          {' · '}
          <a
            href={pageHref(historyHref(alertRecord(alert.check, recordId, alert.details['kind'])))}
            onClick={onLinkClick}
          >
            {t.audit.history}
          </a>
        </>
      )}
    </>
  );
}
